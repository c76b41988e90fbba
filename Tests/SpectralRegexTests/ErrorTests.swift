import Testing
@testable import SpectralRegex

/// (pattern, fragment expected in the message, offset in scalars).
@Test(arguments: [
    (#"\1"#, "backreferences", 0),
    (#"(a)\1"#, "backreferences", 3),
    ("(?P=name)", "backreferences", 0),
    ("(?=a)", "lookaround", 0),
    ("(?!a)", "lookaround", 0),
    ("(?<=a)", "lookaround", 0),
    ("(?<!a)", "lookaround", 0),
    ("a*+", "nested repetition", 2),
    ("a**", "nested repetition", 2),
    ("a++", "nested repetition", 2),
    (#"\q"#, "invalid escape", 0),
    (#"\Z"#, "invalid escape", 0),
    (#"a\"#, "trailing backslash", 1),
    ("(ab", "missing closing )", 0),
    ("ab)", "unexpected )", 2),
    ("[ab", "missing closing ]", 0),
    ("[z-a]", "invalid character class range", 1),
    ("a{1001}", "invalid repeat count", 1),
    ("a{2,1001}", "invalid repeat count", 1),
    ("a{3,2}", "invalid repeat count", 1),
    ("*a", "missing argument", 0),
    ("a|*", "missing argument", 2),
    ("(*)", "missing argument", 1),
    ("(?i)*", "missing argument", 4),
    ("(a{1000}){1000}", "pattern too large", 0),
    (#"\p{Greek}"#, "unsupported Unicode class", 0),
    (#"\p{Foo}"#, "unsupported Unicode class", 0),
    (#"\x{110000}"#, "not a Unicode scalar", 0),
    (#"\x4"#, "hexadecimal", 0),
    ("(", "missing closing )", 0),
    ("(?z)", "unknown flag", 2),
    ("(?)", "invalid or unsupported group", 0),
    ("(?i-)", "'-' must be followed", 0),
    ("(?P<>a)", "empty capture group name", 0),
    ("(?P<a>x)(?P<a>y)", "duplicate capture group name", 8),
    ("[[:foo:]]", "invalid POSIX", 1),
    (#"[\b]"#, "character class", 1),
])
func rejectsWithMessage(pattern: String, fragment: String, offset: Int) {
    do {
        _ = try Pattern(pattern)
        Issue.record("expected /\(pattern)/ to be rejected")
    } catch {
        #expect(error.message.contains(fragment), "message was: \(error.message)")
        #expect(error.offset == offset, "message was: \(error.message)")
        #expect(error.description.contains(error.message))
    }
}

@Test func nestingLimitIsAnErrorNotACrash() {
    let depth = PatternParser.maxNestingDepth + 1
    let text = String(repeating: "(", count: depth) + String(repeating: ")", count: depth)
    #expect(throws: PatternError.self) { try Pattern(text) }
    // Far deeper than any stack could recurse: still just an error.
    #expect(throws: PatternError.self) { try Pattern(String(repeating: "(", count: 100_000)) }
}

@Test func hugeRepeatProductIsRejectedQuickly() {
    // "Quickly" as a count: the compiler gives up when its program reaches the instruction
    // cap, so at most `maxInstructions` instructions are built, whatever the pattern would
    // expand to (10¹² here). The message says the cap stopped it; any later rejection (a
    // size check after expansion, say) would have built the whole program first.
    let capped = PatternError("pattern too large: compiled program exceeds \(ProgramCompiler.maxInstructions) instructions", at: 0)
    // Nested counts are refused before compiling anything (RepetitionLimit); the cap
    // still stops a long flat pattern.
    #expect(throws: PatternError.self) { try Pattern("((((a{1000}){1000}){1000}){1000})") }
    #expect(throws: capped) { try Pattern(String(repeating: "(?:a{1000})", count: 11)) }
    #expect(throws: capped) { try Pattern(String(repeating: "\\pL", count: ProgramCompiler.maxInstructions + 1)) }
}
