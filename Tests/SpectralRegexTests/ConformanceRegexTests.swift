import Testing
@testable import SpectralRegex

/// Every `matches(...)` case in Fixtures/conformance/cel-spec-visible.json, as
/// (receiver string, pattern, expected result).
@Test(arguments: [
    ("hubba", "ubb", true),
    ("", "foo|bar", false),
    ("cows", "", true),
    ("abcd", "bc", true),
    ("grey", "gr(a|e)y", true),
    ("banana", "ba(na)*", true),
    ("mañana", "a+ñ+a+", true),
    ("\u{1F431}\u{1F600}\u{1F600}", "(a|\u{1F600}){2}", true),
])
func celConformanceMatches(text: String, pattern: String, expected: Bool) throws {
    #expect(try Pattern(pattern).matches(text) == expected)
}
