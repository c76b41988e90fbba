import Testing
@testable import SpectralRegex

/// The set-based fast paths (`BitNFA`, `SetDFA`) must each agree with the Pike VM on
/// every `matches` question. Patterns and texts come from the same fragment vocabulary as
/// `randomPatternsNeverCrash`, plus random texts over the characters the fragments can
/// match, so anchors, word boundaries, newlines and multi-byte scalars all get hit.
@Test func fastPathsAgreeWithPikeVM() {
    let fragments = [
        "(", ")", "[", "]", "^", "$", "|", "*", "+", "?", "{", "}", "{2}", "{1,3}", "{,}", "?", ".", "\\",
        "\\b", "\\B", "\\A", "\\z", "\\d", "\\W", "\\pL", "\\p{Lu}", "\\Q", "\\E", "\\x41", "\\x{1F600}",
        "(?i)", "(?s)", "(?m)", "(?U)", "(?:", "(?P<n", ">", "(?<", "[:alpha:]", "[^",
        "-", "a", "b", "k", "ñ", "😀", "\n", " ", "0", "9", ":", "a", "b", "(a|b)", "[a-c]",
    ]
    let alphabet: [String] = ["a", "b", "c", "k", "K", "A", "ñ", "Ñ", "😀", "\n", " ", "0", "9", ":", "-", "\u{212A}"]
    var seed: UInt64 = 0x2545_F491_4F6C_DD1D
    func next() -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(truncatingIfNeeded: seed >> 33)
    }
    var compared = 0
    var fastCompiled = 0
    var dfaCompiled = 0
    for _ in 0..<3000 {
        var pattern = ""
        for _ in 0..<(1 + next() % 10) { pattern += fragments[next() % fragments.count] }
        guard let p = try? Pattern(pattern) else { continue }
        if p.usesSetMatcher { fastCompiled += 1 }
        if p.usesDFA { dfaCompiled += 1 }
        var texts = ["", "a", "ab\nba", "aaaaaaaaab", "K😀ñ 09-:"]
        for _ in 0..<6 {
            var text = ""
            // Up to 24 scalars, so the DFA's eight-byte ASCII blocks are exercised too.
            for _ in 0..<(next() % 25) { text += alphabet[next() % alphabet.count] }
            texts.append(text)
        }
        for text in texts {
            let expected = p.pikeMatches(text)
            #expect(p.matches(text) == expected, "/\(pattern)/ on \(text.debugDescription)")
            #expect(p.bitNFAMatches(text) ?? expected == expected, "BitNFA: /\(pattern)/ on \(text.debugDescription)")
            #expect(p.dfaMatches(text) ?? expected == expected, "SetDFA: /\(pattern)/ on \(text.debugDescription)")
            compared += 1
        }
    }
    #expect(fastCompiled > 500)
    #expect(dfaCompiled > 500)
    #expect(compared > 5000)
}

/// Hand-picked cases at the edges of the context handling (anchors, `\b` on both sides,
/// multi-line anchors next to newlines, non-ASCII intervals).
@Test(arguments: [
    #"\b"#, #"\B"#, #"^\b"#, #"\b$"#, #"a\b"#, #"\ba"#, #"\Ba\B"#, "(?m)^$", "(?m)^a$", "(?m)$^", "^$", "$a", "a^",
    #"(?m)\n^"#, #"(?m)$\n"#, #"\A|\z"#, "x*", "[^a]", #"\pL\PL"#, "(?i)k+", "ñ|😀", "[ñ-😀]+$", "(a|b)*c?$",
])
func fastPathEdgeCases(pattern: String) throws {
    let p = try Pattern(pattern)
    #expect(p.usesSetMatcher)
    #expect(p.usesDFA)
    let texts = [
        "", "a", "aa", " a ", "a\n", "\na", "\n\n", "a\nb", "ñ", "😀a", "b😀", "K\u{212A}k", "abc", "x y",
        "abcdefgh", "abcdefgh\n", "\nabcdefghijklmnop", "abcdefghñ", "xxxxxxxx xxxxxxxa", "aaaaaaaaaaaaaaaaaaaaaaaa😀",
    ]
    for text in texts {
        let expected = p.pikeMatches(text)
        #expect(p.bitNFAMatches(text) == expected, "BitNFA: /\(pattern)/ on \(text.debugDescription)")
        #expect(p.dfaMatches(text) == expected, "SetDFA: /\(pattern)/ on \(text.debugDescription)")
    }
}

/// Subset construction can blow up; such patterns must fall back to `BitNFA` (still
/// allocation-free and linear) rather than build a huge table.
@Test func exponentialDFAFallsBackToBitNFA() throws {
    let p = try Pattern("(a|b)*a(a|b){12}")
    #expect(!p.usesDFA)
    #expect(p.usesSetMatcher)
    let text = String(repeating: "ab", count: 20)
    #expect(p.matches(text) == p.pikeMatches(text))
    #expect(p.matches("a" + String(repeating: "b", count: 12)))
    #expect(!p.matches(String(repeating: "b", count: 13)))
}

/// Programs over 64 thread states keep using the Pike VM.
@Test func largeProgramsUseThePikeVM() throws {
    let p = try Pattern("^a{70}$")
    #expect(!p.usesSetMatcher)
    #expect(p.matches(String(repeating: "a", count: 70)))
    #expect(!p.matches(String(repeating: "a", count: 71)))
}
