import Testing
@testable import SpectralRegex

/// (pattern, text, expected `matches` result): one or more rows per supported feature.
struct MatchCase: CustomTestStringConvertible, Sendable {
    var pattern: String
    var text: String
    var expected: Bool
    var testDescription: String { "/\(pattern)/ on \"\(text)\" -> \(expected)" }
    init(_ pattern: String, _ text: String, _ expected: Bool) {
        self.pattern = pattern
        self.text = text
        self.expected = expected
    }
}

let matchTable: [MatchCase] = [
    // Literals, partial matching, empty pattern
    .init("abc", "xxabcxx", true), .init("abc", "abx", false), .init("", "", true), .init("", "abc", true),
    .init("ñ", "mañana", true), .init("😀", "a😀b", true),
    // Escapes
    .init(#"a\.b"#, "a.b", true), .init(#"a\.b"#, "axb", false), .init(#"\\"#, #"a\b"#, true),
    .init(#"\n"#, "a\nb", true), .init(#"\t"#, "\t", true), .init(#"\r"#, "\r", true), .init(#"\f"#, "\u{0C}", true),
    .init(#"\v"#, "\u{0B}", true), .init(#"\a"#, "\u{07}", true), .init(#"\x41"#, "A", true),
    .init(#"\x{1F600}"#, "😀", true), .init(#"\x{10FFFF}"#, "\u{10FFFF}", true), .init(#"\101"#, "A", true),
    .init(#"\0"#, "\u{0}", true), .init(#"\Qa.b*\E"#, "a.b*", true), .init(#"\Qa.b*\E"#, "axbb", false),
    .init(#"\Qa.b"#, "a.b", true), .init(#"\*\+\?\(\)\[\]\{\}\|\^\$"#, "*+?()[]{}|^$", true),
    .init(#"\-\ "#, "- ", true),
    // Dot
    .init("a.c", "abc", true), .init("a.c", "a\nc", false), .init("(?s)a.c", "a\nc", true), .init("a.c", "a😀c", true),
    // Bracket classes
    .init("[abc]", "xbx", true), .init("[abc]", "xyz", false), .init("[^a-z]", "abc", false), .init("[^a-z]", "abC", true),
    .init("[a-c]+$", "xabc", true), .init("[]a]", "]", true), .init("[^]a]", "]", false), .init("[a-]", "-", true),
    .init("[-a]", "-", true), .init(#"[\]]"#, "]", true), .init(#"[\n]"#, "\n", true), .init(#"[\x41-\x43]"#, "B", true),
    .init(#"[\d]"#, "5", true), .init(#"[^\d]"#, "5", false), .init(#"[\D]"#, "5", false), .init(#"[\s\d]"#, " ", true),
    .init("[[:alpha:]]", "1a", true), .init("[[:alpha:]]", "12", false), .init("[[:^alpha:]]", "a", false),
    .init("[[:digit:][:upper:]]", "Q", true), .init("[[:space:]]", "\u{0B}", true), .init("[[:xdigit:]]+$", "0fA9", true),
    .init("[[:punct:]]", "!", true), .init("[[:word:]]", "_", true), .init("[ä-ü]", "ö", true),
    // Perl classes (ASCII, as in RE2)
    .init(#"\d+"#, "abc123", true), .init(#"^\d+$"#, "12a", false), .init(#"\D"#, "123", false), .init(#"\w"#, "_", true),
    .init(#"\w"#, "é", false), .init(#"\W"#, "é", true), .init(#"\s"#, "a b", true), .init(#"\s"#, "\u{0B}", false),
    .init(#"\S"#, "  ", false),
    // Unicode classes
    .init(#"\pL"#, "é", true), .init(#"\p{L}"#, "1", false), .init(#"\p{Lu}"#, "É", true), .init(#"\p{Lu}"#, "é", false),
    .init(#"\p{Ll}"#, "é", true), .init(#"\p{N}"#, "٣", true), .init(#"\p{Nd}"#, "٣", true), .init(#"\PN"#, "٣", false),
    .init(#"\p{P}"#, "¿", true), .init(#"\p{S}"#, "€", true), .init(#"\p{Z}"#, "\u{00A0}", true),
    .init(#"\p{^L}"#, "a", false), .init(#"\P{^L}"#, "a", true), .init(#"[\p{Lu}\d]"#, "7", true),
    .init(#"[^\pL]"#, "é", false), .init(#"\p{Any}"#, "\u{10FFFF}", true), .init(#"\p{Greek}"#, "", false),
    // Anchors
    .init("^abc", "abcd", true), .init("^abc", "xabc", false), .init("abc$", "xabc", true), .init("abc$", "abc\n", false),
    .init("^$", "", true), .init("^b", "a\nb", false), .init("(?m)^b", "a\nb", true), .init("(?m)a$", "a\nb", true),
    .init("a$", "a\nb", false), .init(#"\Aa"#, "ba", false), .init(#"a\z"#, "ab", false), .init(#"(?m)\Ab"#, "a\nb", false),
    .init(#"(?m)a\z"#, "a\nb", false),
    // Word boundaries
    .init(#"\bfoo\b"#, "a foo b", true), .init(#"\bfoo\b"#, "afoo", false), .init(#"\Bfoo"#, "afoo", true),
    .init(#"\Bfoo"#, "foo", false), .init(#"\b"#, "", false), .init(#"\B"#, "", true),
    // Groups and alternation
    .init("gr(a|e)y", "grey", true), .init("gr(a|e)y", "groy", false), .init("(?:ab)+$", "abab", true),
    .init("(?P<year>\\d{4})", "in 2024", true), .init("(?<y>\\d{4})", "in 24", false), .init("a|b|c", "c", true),
    .init("a|", "x", true), .init("|", "", true), .init("()", "", true), .init("(a|b)(c|d)", "bd", true),
    // Flags
    .init("(?i)abc", "ABC", true), .init("(?i:a)b", "Ab", true), .init("(?i:a)b", "AB", false), .init("a(?i)b", "aB", true),
    .init("a(?i)b", "AB", false), .init("(?i)[a-c]+$", "ABC", true), .init("(?i)[^a]", "A", false), .init("(?i)k", "\u{212A}", true),
    .init("(?i)\u{212A}", "k", true), .init("(?i)é", "É", true), .init("(?i)σ", "Σ", true), .init("(?i)σ", "ς", true),
    .init(#"(?i)\W"#, "k", false), .init("(?i)x(?-i)y", "Xy", true), .init("(?i)x(?-i)y", "XY", false),
    .init("(?sm)^a.b$", "x\na\nb", true), .init("(?i)(?:a|b)c", "BC", true), .init(#"(?i)\p{Lu}"#, "a", true),
    // Repetition
    .init("ab*c", "ac", true), .init("ab+c", "ac", false), .init("ab?c", "abc", true), .init("^a{3}$", "aaa", true),
    .init("^a{3}$", "aa", false), .init("^a{2,}$", "aaaa", true), .init("^a{2,3}$", "aaaa", false), .init("^a{0}$", "", true),
    .init("^(ab){2}$", "abab", true), .init("a{,2}", "a{,2}", true), .init("a{", "a{", true), .init("a{x}", "a{x}", true),
    .init("^a*?$", "aaa", true), .init("^a+?b", "aab", true), .init("^a??b", "ab", true), .init("^a{1,2}?$", "aa", true),
    .init("^(a*)*$", "aaa", true), .init("^(a|)*b$", "aab", true), .init("^\\d{1000}$", String(repeating: "1", count: 1000), true),
    .init("(?U)^a+$", "aaa", true), .init("x*", "", true), .init("^*", "", true),
]

@Test(arguments: matchTable)
func matchTable(_ row: MatchCase) throws {
    if row.pattern == #"\p{Greek}"# {
        // Scripts are rejected (no script data in the standard library); see ErrorTests.
        #expect(throws: PatternError.self) { try Pattern(row.pattern) }
        return
    }
    let pattern = try Pattern(row.pattern)
    #expect(pattern.matches(row.text) == row.expected)
    // The capture-tracking path must agree with the yes/no fast path.
    #expect((pattern.firstMatch(in: row.text) != nil) == row.expected)
}
