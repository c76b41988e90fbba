#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads named zones from the system tz database and keeps them, because
/// CEL programs typically ask for the same few zones on every evaluation.
///
/// A plain pthread mutex guards the dictionary: `Synchronization.Mutex` would
/// do on Linux, but the package also declares macOS 14, where it is missing.
/// Loading happens outside the lock (file I/O must not serialise readers);
/// two threads racing on a new zone both load it and one result wins, which
/// is harmless because the data is immutable.
final class ZoneCache: @unchecked Sendable {
    static let shared = ZoneCache(directory: "/usr/share/zoneinfo")

    let directory: String
    /// Enough for any realistic program; past it the cache starts over rather
    /// than growing without bound on hostile input.
    let capacity = 64
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var zones: [String: ZoneRules] = [:]

    init(directory: String) {
        self.directory = directory
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    func rules(named name: String) throws(TimeError) -> ZoneRules {
        if let cached = locked({ zones[name] }) { return cached }
        let rules = try load(name)
        locked {
            if zones.count >= capacity { zones.removeAll(keepingCapacity: true) }
            zones[name] = rules
        }
        return rules
    }

    /// IANA names are ASCII letters, digits and `_+-/`; refusing anything
    /// else (and `..` or a leading `/`) keeps user input from naming an
    /// arbitrary file.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, bytes.first != UInt8(ascii: "/"), !name.contains("..") else {
            return false
        }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "/")
        }
    }

    func load(_ name: String) throws(TimeError) -> ZoneRules {
        guard ZoneCache.isValidName(name) else { throw TimeError("invalid time zone name '\(name)'") }
        guard access(directory, F_OK) == 0 else {
            throw TimeError("unknown time zone '\(name)': no time zone database at \(directory) (install tzdata)")
        }
        guard let data = ZoneCache.readFile(directory + "/" + name, limit: 1 << 20) else {
            throw TimeError("unknown time zone '\(name)'")
        }
        return try TZif.decode(data, name: name)
    }

    /// The whole file, or nil if it cannot be opened, is not a regular file,
    /// or exceeds `limit` bytes (real TZif files are a few kilobytes).
    static func readFile(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= limit else { return nil }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            result.append(contentsOf: buffer[0..<n])
            guard result.count <= limit else { return nil }
        }
        return result
    }
}
