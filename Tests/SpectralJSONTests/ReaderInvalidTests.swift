import Testing
import SpectralJSON

@Suite struct ReaderInvalidTests {
    /// Each invalid document with the exact error description it must produce.
    static let cases: [(String, String)] = [
        ("", "expected a JSON value, found end of input at byte 0"),
        ("   ", "expected a JSON value, found end of input at byte 3"),
        ("1 2", "expected end of input after the top-level value, found '2' at byte 2"),
        ("[] []", "expected end of input after the top-level value, found '[' at byte 3"),
        // Trailing commas.
        ("[1,]", "expected a value after ',' in array, found ']' at byte 3"),
        (#"{"a":1,}"#, "expected a string key after ',' in object, found '}' at byte 7"),
        // Missing separators / brackets.
        (#"{"a":1 "b":2}"#, "expected ',' or '}' after object member, found '\"' at byte 7"),
        ("[1 2]", "expected ',' or ']' after array element, found '2' at byte 3"),
        ("[1", "expected ',' or ']' after array element, found end of input at byte 2"),
        (#"{"a" 1}"#, "expected ':' after object key, found '1' at byte 5"),
        (#"{"a":}"#, "expected a value after ':', found '}' at byte 5"),
        ("[", "expected a value or ']' after '[', found end of input at byte 1"),
        ("]", "expected a JSON value, found ']' at byte 0"),
        ("[}", "expected a value or ']' after '[', found '}' at byte 1"),
        ("{]", "expected a string key or '}' after '{', found ']' at byte 1"),
        // Keys must be strings.
        ("{1:2}", "expected a string key or '}' after '{', found '1' at byte 1"),
        ("{a:2}", "expected a string key or '}' after '{', found 'a' at byte 1"),
        // Comments, non-JSON literals.
        ("// c\n1", "expected a JSON value, found '/' at byte 0"),
        ("[1 /* c */]", "expected ',' or ']' after array element, found '/' at byte 3"),
        ("NaN", "expected a JSON value, found 'N' at byte 0"),
        ("Infinity", "expected a JSON value, found 'I' at byte 0"),
        ("-Infinity", "expected a digit after '-' at byte 1"),
        ("tru", "invalid literal, expected 'true' at byte 0"),
        ("nul", "invalid literal, expected 'null' at byte 0"),
        ("True", "expected a JSON value, found 'T' at byte 0"),
        ("nullx", "expected end of input after the top-level value, found 'x' at byte 4"),
        ("'a'", "expected a JSON value, found ''' at byte 0"),
        // Numbers.
        ("01", "leading zeros are not allowed in numbers at byte 0"),
        ("-01", "leading zeros are not allowed in numbers at byte 0"),
        ("+1", "expected a JSON value, found '+' at byte 0"),
        ("-", "expected a digit after '-' at byte 1"),
        ("[-]", "expected a digit after '-' at byte 2"),
        ("1.", "expected a digit after '.' in number at byte 2"),
        ("1.e5", "expected a digit after '.' in number at byte 2"),
        (".5", "expected a JSON value, found '.' at byte 0"),
        ("1e", "expected a digit in number exponent at byte 2"),
        ("1e+", "expected a digit in number exponent at byte 3"),
        ("0x1F", "expected end of input after the top-level value, found 'x' at byte 1"),
        // Strings.
        ("\"abc", "unterminated string starting at byte 0 at byte 4"),
        ("[\"a\\", "unterminated escape sequence in string at byte 3"),
        ("\"a\nb\"", "unescaped control character 0x0A in string at byte 2"),
        ("\"\t\"", "unescaped control character 0x09 in string at byte 1"),
        ("\"x\\n\u{1F}\"", "unescaped control character 0x1F in string at byte 4"),
        (#""\x""#, #"invalid escape sequence '\x' in string at byte 1"#),
        (#""\'""#, #"invalid escape sequence '\'' in string at byte 1"#),
        (#""\u12""#, #"expected 4 hex digits after \u at byte 1"#),
        (#""\u12G4""#, #"expected 4 hex digits after \u at byte 1"#),
        (#""\uD83D""#, #"lone high surrogate \uD83D not followed by a low surrogate escape at byte 1"#),
        (#""\uD83Dx""#, #"lone high surrogate \uD83D not followed by a low surrogate escape at byte 1"#),
        (#""\uD83D\u0041""#, #"high surrogate \uD83D followed by \u0041, which is not a low surrogate at byte 1"#),
        (#""\uDE00""#, #"lone low surrogate \uDE00 at byte 1"#),
        (#""\uDE00\uD83D""#, #"lone low surrogate \uDE00 at byte 1"#),
    ]

    @Test(arguments: cases)
    func rejects(_ input: String, _ expected: String) {
        #expect(readError(input)?.description == expected, "input: \(input.debugDescription)")
        // The DOM parser reports the same error.
        do {
            _ = try JSONValue.parse(input)
            Issue.record("parsed invalid input \(input.debugDescription)")
        } catch {
            #expect(error.description == expected)
        }
    }

    /// Invalid UTF-8 inside strings, as raw bytes (a Swift String cannot hold them).
    static let utf8Cases: [([UInt8], String)] = [
        ([0x22, 0x80, 0x22], "invalid UTF-8: unexpected continuation byte 0x80 at byte 1"),
        ([0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8: overlong encoding (lead byte 0xC0) at byte 1"),
        ([0x22, 0xC1, 0xBF, 0x22], "invalid UTF-8: overlong encoding (lead byte 0xC1) at byte 1"),
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], "invalid UTF-8: overlong UTF-8 encoding at byte 1"),
        ([0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22], "invalid UTF-8: overlong UTF-8 encoding at byte 1"),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8: UTF-8 encoded surrogate at byte 1"),
        ([0x22, 0xED, 0xBF, 0xBF, 0x22], "invalid UTF-8: UTF-8 encoded surrogate at byte 1"),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8: UTF-8 sequence above U+10FFFF at byte 1"),
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], "invalid UTF-8: byte 0xF5 never appears in UTF-8 at byte 1"),
        ([0x22, 0xFF, 0x22], "invalid UTF-8: byte 0xFF never appears in UTF-8 at byte 1"),
        ([0x22, 0xE2, 0x82, 0x22], "invalid UTF-8: truncated sequence at byte 1"),
        ([0x22, 0xF0, 0x9F, 0x98], "invalid UTF-8: truncated sequence at byte 1"),
        ([0x22, 0xC3], "invalid UTF-8: truncated sequence at byte 1"),
        // Also on the escaped (slow) path, after an escape.
        ([0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22], "invalid UTF-8: truncated sequence at byte 3"),
        // In a key.
        ([0x7B, 0x22, 0xFE, 0x22, 0x3A, 0x31, 0x7D], "invalid UTF-8: byte 0xFE never appears in UTF-8 at byte 2"),
        // Outside strings non-ASCII is simply unexpected (including a BOM).
        ([0xEF, 0xBB, 0xBF, 0x31], "expected a JSON value, found byte 0xEF at byte 0"),
    ]

    @Test(arguments: utf8Cases)
    func rejectsInvalidUTF8(_ input: [UInt8], _ expected: String) {
        #expect(readError(input)?.description == expected)
    }

    @Test func acceptsBoundaryUTF8() throws {
        // Smallest and largest well-formed sequences of each length.
        let ok: [[UInt8]] = [[0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
                             [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF]]
        for seq in ok {
            let expected = String(decoding: seq, as: UTF8.self)
            #expect(try tokens([0x22] + seq + [0x22]) == [.string(expected), .end])
        }
    }

    @Test func veryDeepNestingIsAnErrorNotACrash() {
        let deepArrays = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(readError(deepArrays)?.description == "nesting deeper than 64 at byte 64")
        let deepObjects = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
        #expect(readError(deepObjects)?.message == "nesting deeper than 64")
        #expect(throws: JSONError.self) { try JSONValue.parse(deepArrays) }
        // Even with the limit lifted the iterative reader does not recurse.
        let unlimited = JSONLimits(maxDepth: .max, maxBytes: .max)
        let balanced = deepArrays + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000)
        #expect(readError(balanced, limits: unlimited) == nil)
    }

    @Test func sizeLimits() {
        let limits = JSONLimits(maxBytes: 10, maxStringBytes: 4)
        #expect(readError("[1,2,3,4,5,6]", limits: limits)?.description == "input of 13 bytes is larger than the limit of 10 bytes at byte 10")
        #expect(readError(#""abcd""#, limits: limits) == nil)
        #expect(readError(#""abcde""#, limits: limits)?.description == "string longer than the limit of 4 bytes at byte 0")
        #expect(readError(#"["ab\ncd"]"#, limits: limits)?.message == "string longer than the limit of 4 bytes")
        #expect(readError(#"{"abcde":1}"#, limits: JSONLimits(maxStringBytes: 4))?.message == "string longer than the limit of 4 bytes")
        #expect(readError("123456", limits: limits)?.message == "number longer than the limit of 4 bytes")
        // Escapes count by their decoded size: 8 source bytes, 4 decoded.
        #expect(readError(#""\u00e9\u00e9""#, limits: JSONLimits(maxStringBytes: 4)) == nil)
        #expect(readError(#""\u00e9\u00e9x""#, limits: JSONLimits(maxStringBytes: 4)) != nil)
    }

    @Test func errorsAreSticky() {
        var reader = JSONReader(bytes: Array("[1,]".utf8))
        _ = try? reader.next()
        _ = try? reader.next()
        #expect(throws: JSONError.self) { try reader.next() }
        #expect(throws: JSONError.self) { try reader.next() }
    }
}
