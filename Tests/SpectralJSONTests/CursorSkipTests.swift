import SpectralJSON
import Testing

/// `JSONCursor.skipValue`: never wider than `JSONReader` (what it skips, the reader reads),
/// and not vacuous (the plain documents a request carries are skipped, to their end).
@Suite struct CursorSkipTests {
    static let plain = [
        #"{}"#, #"[]"#, #"0"#, #"-12.5e+3"#, #"true"#, #"false"#, #"null"#, #""text""#,
        #"{"a": 1, "b": [true, false, null, {"c": "d"}], "e": {"f": [[], {}], "g": -0.0}}"#,
        #"[{"x": [1, [2, [3, [4]]]]}, "é ✓ 🙂", 1e-7, {"": ""}]"#,
        " { \"spaced\" :\t[ 1 ,\n2 ] } ",
    ]

    /// Skips `text` as one value; where the cursor stopped, or nil on a miss.
    static func skipped(_ text: [UInt8], limits: JSONLimits = JSONLimits()) -> Int? {
        text.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(bytes: buffer, limits: limits)
            do {
                try cursor.skipValue()
                return cursor.position
            } catch {
                return nil
            }
        }
    }

    @Test(arguments: plain)
    func skipsAPlainDocumentToItsEnd(_ text: String) {
        let bytes = Array(text.utf8)
        let end = Self.skipped(bytes)
        let lastByte = bytes.lastIndex { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 }.map { $0 + 1 }
        #expect(end == lastByte, "\(text)")
    }

    /// Every prefix and every one-byte corruption of the plain documents: a skip that ends
    /// at the end of the text is a document the reader reads whole.
    @Test func neverAcceptsWhatTheReaderRefuses() {
        var accepted = 0, refused = 0
        let replacements: [UInt8] = Array("{}[],:\"\\ -+.0123456789eEtfnulx\u{7F}".utf8) + [0x00, 0x1F, 0x80, 0xC0, 0xED, 0xF5, 0xFF]
        for text in Self.plain {
            let bytes = Array(text.utf8)
            var variants = (0..<bytes.count).map { Array(bytes[..<$0]) }
            for i in bytes.indices {
                for byte in replacements where byte != bytes[i] {
                    var changed = bytes
                    changed[i] = byte
                    variants.append(changed)
                }
            }
            for variant in variants {
                let readerAccepts = readError(variant) == nil
                guard let end = Self.skipped(variant) else { refused += 1; continue }
                let trailing = variant[end...].allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
                if trailing {
                    #expect(readerAccepts, "skipped what the reader refuses: \(String(decoding: variant, as: UTF8.self))")
                    accepted += 1
                }
            }
        }
        #expect(accepted > 200 && refused > 1_000, "accepted \(accepted), refused \(refused)")
    }

    @Test func missesOnEscapesAndPastTheDepthLimit() {
        #expect(Self.skipped(Array(#""a\"b""#.utf8)) == nil, "escapes are the reader's")
        let deep = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(Self.skipped(Array(deep.utf8), limits: JSONLimits(maxDepth: 9)) == nil)
        #expect(Self.skipped(Array(deep.utf8), limits: JSONLimits(maxDepth: 10)) == 20)
        let past64 = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(Self.skipped(Array(past64.utf8), limits: JSONLimits(maxDepth: 100)) == nil, "nesting past 64 is the reader's")
    }
}
