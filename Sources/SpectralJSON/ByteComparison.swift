/// Whether two buffers of one length hold the same bytes, compared a word at a time, the
/// last word overlapping the one before it (so a short key is one or two loads a side).
/// Shared by the cursor's key matching and the VM's string equality.
public enum ByteComparison {
    /// `x` and `y` must have the same count.
    @inlinable @inline(__always)
    public static func equal(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        let count = x.count
        guard count > 0, let x = x.baseAddress, let y = y.baseAddress else { return true }
        if count >= 8 {
            var k = 0
            while k &+ 8 < count {
                guard x.loadUnaligned(fromByteOffset: k, as: UInt64.self) == y.loadUnaligned(fromByteOffset: k, as: UInt64.self) else { return false }
                k &+= 8
            }
            return x.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                && x.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        var k = 0
        while k < count {
            guard x.load(fromByteOffset: k, as: UInt8.self) == y.load(fromByteOffset: k, as: UInt8.self) else { return false }
            k &+= 1
        }
        return true
    }
}
