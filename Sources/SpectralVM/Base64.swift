/// Base64 (RFC 4648): the standard alphabet (§4) and the URL-safe one (§5), padding
/// optional. Written here because the engine links the standard library only; it is public
/// so that the rest of the project (bytes in JSON results, the conformance files, JWT test
/// fixtures) uses this one codec rather than keeping copies.
public enum Base64 {
    public enum Alphabet: Sendable {
        /// `+` and `/` (RFC 4648 §4): CEL's `base64` functions, bytes in JSON.
        case standard
        /// `-` and `_` (RFC 4648 §5): JWTs and JWKs (RFC 7515), which also drop the padding.
        case url

        fileprivate var symbols: [UInt8] {
            switch self {
            case .standard: Base64.standardSymbols
            case .url: Base64.urlSymbols
            }
        }

        fileprivate var values: [UInt8] {
            switch self {
            case .standard: Base64.standardValues
            case .url: Base64.urlValues
            }
        }
    }

    private static let standardSymbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSymbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let standardValues = valueTable(standardSymbols)
    private static let urlValues = valueTable(urlSymbols)

    /// Each alphabet byte's 6-bit value; 0xFF for bytes outside the alphabet.
    private static func valueTable(_ symbols: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in symbols.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }

    /// The encoding of `data`; `padding: false` leaves out the trailing `=`.
    public static func encode(_ data: [UInt8], alphabet: Alphabet = .standard, padding: Bool = true) -> String {
        let symbols = alphabet.symbols
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var i = 0
        while i < data.count {
            let b0 = data[i], b1 = i + 1 < data.count ? data[i + 1] : 0, b2 = i + 2 < data.count ? data[i + 2] : 0
            out.append(symbols[Int(b0 >> 2)])
            out.append(symbols[Int((b0 & 0x03) << 4 | b1 >> 4)])
            if i + 1 < data.count { out.append(symbols[Int((b1 & 0x0F) << 2 | b2 >> 6)]) } else if padding { out.append(UInt8(ascii: "=")) }
            if i + 2 < data.count { out.append(symbols[Int(b2 & 0x3F)]) } else if padding { out.append(UInt8(ascii: "=")) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Accepts padded input and, like cel-go (which retries Go's raw encoding) and JWTs,
    /// unpadded input; line breaks are skipped as Go's decoder does. Nil for anything else:
    /// a symbol outside `alphabet`, padding that does not complete the last quantum, or a
    /// dangling sixth bit group.
    public static func decode(_ text: String, alphabet: Alphabet = .standard) -> [UInt8]? {
        let values = alphabet.values
        var symbols = Array(text.utf8.filter { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") })
        // Padding is optional, but when present it must complete the last quantum.
        var padding = 0
        while padding < 2, symbols.last == UInt8(ascii: "=") {
            symbols.removeLast()
            padding += 1
        }
        if padding > 0, (symbols.count + padding) % 4 != 0 { return nil }
        if symbols.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0, bits = 0
        for symbol in symbols {
            let value = values[Int(symbol)]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }
}
