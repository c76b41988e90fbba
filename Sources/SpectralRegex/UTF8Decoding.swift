/// Inline UTF-8 decoding for the matchers, so a match walks the string's own storage
/// instead of first copying it into an array of scalars (which costs an allocation).
///
/// Swift strings always hold valid UTF-8, so the decoder trusts its input and does no
/// validation: it only needs to be fast on ASCII and correct on well-formed sequences.
enum UTF8Decoding {
    /// Stands for "no scalar" (before the start or past the end of the text). Above
    /// every Unicode scalar, so no class contains it and it is not a word character.
    static let none: UInt32 = 0x11_0000

    /// Decodes the scalar starting at `index` and moves `index` past it.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> UInt32 {
        let lead = bytes[index]
        if lead < 0x80 {
            index &+= 1
            return UInt32(lead)
        }
        let (scalar, length) = decodeMultibyte(bytes, at: index)
        index &+= length
        return scalar
    }

    /// The scalar whose non-ASCII lead byte is at `i`, and its length in bytes. Kept out
    /// of line so the ASCII loops around it stay small; returns the length rather than
    /// taking `inout` so callers can keep their index in a register.
    @inline(never)
    static func decodeMultibyte(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: UInt32, length: Int) {
        let lead = UInt32(bytes[i])
        func tail(_ k: Int) -> UInt32 { UInt32(bytes[i &+ k]) & 0x3F }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | tail(1), 2) }
        if lead < 0xF0 { return ((lead & 0x0F) << 12 | tail(1) << 6 | tail(2), 3) }
        return ((lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3), 4)
    }

    /// Runs `body` on the UTF-8 bytes of `text` without copying native strings.
    @inline(__always)
    static func withBytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        // Bridged or otherwise non-contiguous strings: copy once into native storage.
        var copy = text
        return copy.withUTF8(body)
    }
}
