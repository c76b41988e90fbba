/// Variable-length integers (LEB128), the building block of the module format.
///
/// Decoding is strict so that every value has exactly one encoding: a decoder that
/// accepted padded ("overlong") forms would let two different byte strings decode to
/// the same module, breaking `encode(decode(b)) == b`. Decoding never traps: overflow
/// past 64 bits is reported, not wrapped.
enum LEB128 {
    /// Why a decode failed; the caller attaches the byte offset and context.
    enum Failure: Error, Equatable {
        /// The bytes ended inside the number.
        case truncated
        /// The value does not fit in 64 bits.
        case overflow
        /// A shorter encoding of the same value exists.
        case overlong
    }

    // MARK: Encoding

    static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while true {
            let low = UInt8(truncatingIfNeeded: v & 0x7f)
            v >>= 7
            if v == 0 {
                out.append(low)
                return
            }
            out.append(low | 0x80)
        }
    }

    static func appendSigned(_ value: Int64, to out: inout [UInt8]) {
        var v = value
        while true {
            let low = UInt8(truncatingIfNeeded: v & 0x7f)
            v >>= 7  // arithmetic shift: keeps the sign
            // Done when the remaining bits are pure sign extension of bit 6 of `low`.
            let signBit = low & 0x40 != 0
            if (v == 0 && !signBit) || (v == -1 && signBit) {
                out.append(low)
                return
            }
            out.append(low | 0x80)
        }
    }

    /// Bytes of the canonical (shortest) unsigned encoding.
    static func unsignedSize(_ value: UInt64) -> Int {
        var v = value >> 7
        var n = 1
        while v != 0 { v >>= 7; n += 1 }
        return n
    }

    /// Bytes of the canonical (shortest) signed encoding.
    static func signedSize(_ value: Int64) -> Int {
        var v = value
        var n = 0
        while true {
            let low = v & 0x7f
            v >>= 7
            n += 1
            let signBit = low & 0x40 != 0
            if (v == 0 && !signBit) || (v == -1 && signBit) { return n }
        }
    }

    // MARK: Decoding

    /// Decodes an unsigned value from `bytes[start..<end]`; returns it and the index
    /// just past it.
    static func decodeUnsigned(_ bytes: [UInt8], at start: Int, end: Int)
        throws(Failure) -> (value: UInt64, next: Int)
    {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = start
        while true {
            guard i < end, i < bytes.count else { throw .truncated }
            let byte = bytes[i]
            i += 1
            let payload = UInt64(byte & 0x7f)
            if shift == 63 {
                // The 10th byte holds only bit 63; anything more overflows, and a
                // continuation bit here would make it an 11-byte number.
                guard payload <= 1, byte & 0x80 == 0 else { throw .overflow }
            }
            result |= payload << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard i - start == unsignedSize(result) else { throw .overlong }
        return (result, i)
    }

    /// Decodes a signed (two's complement) value from `bytes[start..<end]`.
    static func decodeSigned(_ bytes: [UInt8], at start: Int, end: Int)
        throws(Failure) -> (value: Int64, next: Int)
    {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = start
        var byte: UInt8 = 0
        while true {
            guard i < end, i < bytes.count else { throw .truncated }
            byte = bytes[i]
            i += 1
            let payload = UInt64(byte & 0x7f)
            if shift == 63 {
                // The 10th byte holds bit 63 and then pure sign extension: only
                // 0x00 and 0x7f fit in an Int64.
                guard byte == 0x00 || byte == 0x7f else { throw .overflow }
            }
            result |= payload << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        if shift < 64 && byte & 0x40 != 0 {
            result |= ~0 << shift  // sign-extend
        }
        let value = Int64(bitPattern: result)
        guard i - start == signedSize(value) else { throw .overlong }
        return (value, i)
    }
}
