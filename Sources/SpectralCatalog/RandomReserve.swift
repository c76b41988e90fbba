#if canImport(Glibc)
import Glibc
#endif

/// Random words from the system's CSPRNG, fetched 32 at a time: one `getentropy` call
/// (at most 256 bytes) serves 32 draws. Its owner keeps it behind a lock.
struct RandomReserve {
    private var words = [UInt64](repeating: 0, count: 32)
    private var used = 32

    mutating func next() -> UInt64 {
        if used == words.count { refill() }
        defer { used += 1 }
        return words[used]
    }

    private mutating func refill() {
        var system = SystemRandomNumberGenerator()
        #if canImport(Glibc)
        let wanted = words.count * MemoryLayout<UInt64>.size
        let failed = words.withUnsafeMutableBytes { getentropy($0.baseAddress, wanted) } != 0
        if failed { for i in words.indices { words[i] = system.next() } }
        #else
        for i in words.indices { words[i] = system.next() }
        #endif
        used = 0
    }
}
