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
        let lead = UInt32(bytes[index])
        if lead < 0x80 {
            index &+= 1
            return lead
        }
        return decodeMultibyte(bytes, &index, lead)
    }

    @inline(never)
    private static func decodeMultibyte(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ lead: UInt32) -> UInt32 {
        let i = index
        func tail(_ k: Int) -> UInt32 { UInt32(bytes[i + k]) & 0x3F }
        if lead < 0xE0 {
            index = i + 2
            return (lead & 0x1F) << 6 | tail(1)
        }
        if lead < 0xF0 {
            index = i + 3
            return (lead & 0x0F) << 12 | tail(1) << 6 | tail(2)
        }
        index = i + 4
        return (lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3)
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
