import Testing
@testable import SpectralRegex

/// Deterministic pseudo-random patterns built from syntax fragments. Every pattern must
/// either compile or throw a `PatternError`, and compiled ones must run on a few texts
/// with `matches` and `firstMatch` agreeing. A crash (trap) fails the whole run.
@Test func randomPatternsNeverCrash() {
    let fragments = [
        "(", ")", "[", "]", "^", "$", "|", "*", "+", "?", "{", "}", "{2}", "{1,3}", "{,}", "?", ".", "\\",
        "\\b", "\\B", "\\A", "\\z", "\\d", "\\W", "\\pL", "\\p{Lu}", "\\Q", "\\E", "\\x41", "\\x{1F600}",
        "\\1", "\\01", "(?i)", "(?s)", "(?m)", "(?U)", "(?:", "(?P<n", ">", "(?<", "(?=", "[:alpha:]", "[^",
        "-", "a", "b", "k", "ñ", "😀", "\n", " ", "0", "9", ":",
    ]
    let texts = ["", "a", "ab\nba", "aaaaaaaaab", "K😀ñ 09-:", "[(a|b)]{2}"]
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(truncatingIfNeeded: seed >> 33)
    }
    var compiled = 0
    for _ in 0..<2000 {
        var pattern = ""
        for _ in 0..<(1 + next() % 8) { pattern += fragments[next() % fragments.count] }
        guard let p = try? Pattern(pattern) else { continue }
        compiled += 1
        for text in texts {
            let found = p.firstMatch(in: text)
            #expect(p.matches(text) == (found != nil), "/\(pattern)/ on \(text)")
            if let found {
                #expect(found.groups.count == p.captureCount)
                #expect(found.range.lowerBound >= 0 && found.range.upperBound <= text.unicodeScalars.count)
            }
        }
    }
    #expect(compiled > 200)
}

@Test(arguments: ["(", "(?", "(?P", "(?P<", "(?P<a", "[", "[^", "[a-", "[[:", "\\x{", "\\p", "\\p{", "(?i"])
func truncatedPatternsAreErrors(_ pattern: String) {
    #expect(throws: PatternError.self) { try Pattern(pattern) }
}
