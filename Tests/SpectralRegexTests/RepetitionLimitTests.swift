import Testing
@testable import SpectralRegex

/// Issue 14: nested counted repetition multiplies, and `(a{1000}){9}` (9,000 copies of
/// `a`, each matched byte 9,000 Pike VM steps) took 117 s as a pattern from input. RE2
/// rejects a nested product over 1,000; so do we, before compiling a single copy.
@Suite struct RepetitionLimitTests {
    @Test(arguments: ["(a{1000}){9}", "(a{10}){101}", "((a{2}){2}){251}", "(?:(?:x|y){100}z){11}", "(?:(a{1000})+){2}"])
    func nestedProductOverAThousandIsRejected(_ pattern: String) {
        #expect(throws: PatternError("pattern too large: nested counted repetition expands to more than 1000 copies", at: 0)) {
            try Pattern(pattern)
        }
    }

    @Test(arguments: ["(a{10}){100}", "(a{1000})*", "(a*){1000}", "a{1000}b{1000}", "(a{0}){1000}", "(a{1000}|b){1}"])
    func productUpToAThousandIsAllowed(_ pattern: String) throws {
        _ = try Pattern(pattern)
    }

    @Test func costFiguresNameTheMatcherInUse() throws {
        #expect(try Pattern("^[a-z]+@example\\.com$").engine == .dfa)
        #expect(try Pattern("^[a-z]+$", preparing: .matchOnce).engine == .bitNFA(states: 2))
        // 1,000 optional copies of a class: about 2,000 instructions, too many for a set matcher.
        let wide = try Pattern("[a-z]{1,1000}z")
        guard case .pikeVM(let instructions) = wide.engine else {
            Issue.record("expected the Pike VM, got \(wide.engine)")
            return
        }
        #expect(instructions == wide.instructionCount && instructions > 2_000)
        #expect(wide.residentBytes > instructions * 16)
        #expect(wide.buildSteps >= instructions)
    }

    @Test func residentBytesCountTheDFATable() throws {
        let small = try Pattern("abc", preparing: .matchOnce)
        let dfa = try Pattern("abc")
        #expect(dfa.residentBytes > small.residentBytes + 128 * 4)
    }
}
