import Testing
@testable import SpectralRegex

/// Patterns that take exponential time in a backtracking engine. These tests assert
/// only the result: a backtracking implementation would simply never finish them.
@Test(arguments: [
    ("(a*)*b", "a", false),
    ("(a|a)*b", "a", false),
    ("(x+x+)+y", "x", false),
    ("(a*)*$", "a", true),
    ("^(a+)+$", "a", true),
    ("(a|aa)*c", "a", false),
    ("(?:a?){30}a{30}", "a", true),
])
func catastrophicPatternsFinish(pattern: String, unit: String, expected: Bool) throws {
    let compiled = try Pattern(pattern)
    let text = String(repeating: unit, count: 30_000)
    #expect(compiled.matches(text) == expected)
    #expect((compiled.firstMatch(in: text) != nil) == expected)
}

@Test func longTextWithLiteralPrefixSkip() throws {
    let text = String(repeating: "ab", count: 50_000) + "needle"
    let match = try Pattern("ne+dle").firstMatch(in: text)
    #expect(match?.range == 100_000..<100_006)
}

@Test func largeButAllowedPattern() throws {
    let pattern = try Pattern("(abc|def){100}")
    #expect(pattern.matches(String(repeating: "abc", count: 100)))
}

@Test func deepButAllowedNesting() throws {
    let depth = PatternParser.maxNestingDepth
    let pattern = try Pattern(String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth))
    #expect(pattern.matches("a"))
}

@Test func bigClassesCompileQuickly() throws {
    // Tens of thousands of class members: must be canonicalized once, not per item.
    var members = ""
    for v in UInt32(0x4E00)..<UInt32(0x4E00 + 40_000) {
        if let s = Unicode.Scalar(v) { members.unicodeScalars.append(s) }
    }
    let pattern = try Pattern("(?i)[" + members + "]")
    #expect(pattern.matches("\u{4E01}"))
    #expect(!pattern.matches("a"))
}
