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
    // Thousands of class members must be canonicalized (and case-folded) once, not per item.
    // Counted, not timed: canonicalization walks each range it is given, so building the
    // class once walks a few times as many ranges as there are members, and a pass per item
    // would walk n²/2 (8×10⁶ here, against a bound of 16,000). The members are not adjacent,
    // so they stay separate ranges and every per-item pass would see all earlier ones. The
    // count does not depend on n, so n stays small enough that the quadratic version fails
    // in seconds instead of hanging.
    var members = ""
    for v in stride(from: UInt32(0x4E00), to: UInt32(0x4E00 + 8_000), by: 2) {
        members.unicodeScalars.append(Unicode.Scalar(v)!)
    }
    let count = members.unicodeScalars.count
    let meter = CanonicalizationMeter()
    let pattern = try CharacterClass.$meter.withValue(meter) { try Pattern("(?i)[" + members + "]") }
    #expect(meter.ranges > 0, "the meter saw no canonicalization: it no longer measures the class")
    #expect(meter.ranges <= 4 * count, "\(meter.ranges) ranges walked to build a class of \(count) members")
    #expect(pattern.matches("\u{4E02}"))
    #expect(!pattern.matches("\u{4E01}"))
    #expect(!pattern.matches("a"))
}
