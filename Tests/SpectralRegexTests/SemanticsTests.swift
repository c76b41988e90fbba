import Testing
@testable import SpectralRegex

/// Leftmost-first (Perl/RE2) match positions and capture groups.
struct CaptureCase: CustomTestStringConvertible, Sendable {
    var pattern: String
    var text: String
    /// nil: no match. Otherwise the whole range followed by each group.
    var expected: [Range<Int>?]?
    var testDescription: String { "/\(pattern)/ on \"\(text)\"" }
    init(_ pattern: String, _ text: String, _ expected: [Range<Int>?]?) {
        self.pattern = pattern
        self.text = text
        self.expected = expected
    }
}

let captureTable: [CaptureCase] = [
    .init("(a|ab)(c|bcd)(d*)", "abcd", [0..<4, 0..<1, 1..<4, 4..<4]),
    .init("(a+)(b+)?", "aaac", [0..<3, 0..<3, nil]),
    .init("a*", "baaa", [0..<0]),
    .init("a+", "baaa", [1..<4]),
    .init("a+?", "baaa", [1..<2]),
    .init("(a*?)(a*)", "aaa", [0..<3, 0..<0, 0..<3]),
    .init("(?U)(a+)(a*)", "aaa", [0..<1, 0..<1, 1..<1]),  // both repeats lazy
    .init("(?U)(a+)(a*?)", "aaa", [0..<3, 0..<1, 1..<3]),  // `*?` is greedy under U
    .init("(?U)(a+?)", "aaa", [0..<3, 0..<3]),
    .init("(a|b)*", "abab", [0..<4, 3..<4]),
    .init("(a)|(b)", "b", [0..<1, nil, 0..<1]),
    .init("x(a)?y", "xy", [0..<2, nil]),
    .init("(foo|foobar)", "foobar", [0..<3, 0..<3]),
    .init("(foobar|foo)", "foobar", [0..<6, 0..<6]),
    .init("(?P<first>\\w+) (?P<last>\\w+)", "Ada Lovelace", [0..<12, 0..<3, 4..<12]),
    .init("b", "aaa", nil),
    .init("😀(.)", "x😀yz", [1..<3, 2..<3]),
    .init("(a*)+$", "b", [1..<1, 1..<1]),
    .init("(?:(a)|b)+", "ab", [0..<2, 0..<1]),
    .init(#"\bis\b"#, "this is", [5..<7]),
    .init("(?m)^(\\w+)$", "one\ntwo", [0..<3, 0..<3]),
    .init("", "abc", [0..<0]),
]

@Test(arguments: captureTable)
func leftmostFirstCaptures(_ row: CaptureCase) throws {
    let pattern = try Pattern(row.pattern)
    let match = pattern.firstMatch(in: row.text)
    guard let expected = row.expected else {
        #expect(match == nil)
        return
    }
    let actual: [Range<Int>?]? = match.map { [$0.range] + $0.groups }
    #expect(actual == expected)
    #expect(pattern.captureCount == expected.count - 1)
}

@Test func namedGroupsAreNumbered() throws {
    let pattern = try Pattern("(?P<a>x)(y)(?<c>z)")
    #expect(pattern.captureCount == 3)
    #expect(pattern.groupNames == ["a": 1, "c": 3])
}

@Test func offsetsCountUnicodeScalars() throws {
    // "é" written as e + COMBINING ACUTE is two scalars; a precomposed "é" is one.
    let match = try Pattern("b").firstMatch(in: "e\u{301}é b")
    #expect(match?.range == 4..<5)
}

@Test func patternIsSendableAcrossTasks() async throws {
    let pattern = try Pattern(#"^\d+$"#)
    let results = await withTaskGroup(of: Bool.self) { group in
        for i in 0..<8 { group.addTask { pattern.matches(String(i)) } }
        var all: [Bool] = []
        for await r in group { all.append(r) }
        return all
    }
    #expect(results.allSatisfy { $0 })
}
