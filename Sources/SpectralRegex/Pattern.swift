/// A compiled RE2-syntax regular expression, matched in time linear in the text
/// (O(pattern × text)), so untrusted patterns and inputs are safe.
///
/// Positions are offsets in Unicode scalars (`text.unicodeScalars`), the Swift
/// counterpart of RE2 matching UTF-8 code points.
///
/// A class, not a struct: a pattern holds a dozen arrays (program, tables, partition), and
/// reading a struct out of a collection copies it, retaining and releasing each of them.
/// Profiling the `regex` benchmark found those copies taking a quarter of every
/// evaluation; a reference costs one retain.
public final class Pattern: Sendable {
    let program: Program
    /// Allocation-free yes/no matchers for small programs, fastest first; when both
    /// are nil `matches` uses the Pike VM. (Internal, not private: `Pattern+Cost` reads them.)
    let dfa: SetDFA?
    let setMatcher: BitNFA?
    /// Number of capturing groups, not counting the whole match (RE2's
    /// `NumberOfCapturingGroups`).
    public let captureCount: Int
    /// Group numbers of named groups, `(?P<name>...)` / `(?<name>...)`.
    public let groupNames: [String: Int]

    /// How much to prepare at compile time.
    public enum Preparation: Sendable {
        /// Build the DFA too: for patterns compiled once and matched many times.
        case matchOften
        /// Only the bit-parallel NFA: for a pattern used once (the DFA's construction
        /// would cost more than the match saves).
        case matchOnce
    }

    public init(_ pattern: String, preparing preparation: Preparation = .matchOften) throws(PatternError) {
        var parser = PatternParser(pattern)
        let root = try parser.parse()
        try RepetitionLimit.check(root)
        captureCount = parser.captureCount
        groupNames = parser.groupNames
        program = try ProgramCompiler.compile(root, captureCount: parser.captureCount)
        setMatcher = BitNFA(program)
        dfa = preparation == .matchOften ? setMatcher.flatMap(SetDFA.init) : nil
    }

    /// RE2 "partial match": true when the pattern matches any substring of `text`
    /// (use `^`/`$` to anchor).
    public func matches(_ text: String) -> Bool {
        if let dfa {
            return UTF8Decoding.withBytes(of: text) { dfa.matches($0) }
        }
        if let setMatcher {
            return UTF8Decoding.withBytes(of: text) { setMatcher.matches($0) }
        }
        return pikeMatches(text)
    }

    /// Whether `matches` avoids the Pike VM (for tests).
    var usesSetMatcher: Bool { setMatcher != nil }
    var usesDFA: Bool { dfa != nil }

    /// Each tier on its own, for differential tests; nil when the tier does not apply.
    func dfaMatches(_ text: String) -> Bool? {
        dfa.map { dfa in UTF8Decoding.withBytes(of: text) { dfa.matches($0) } }
    }

    func bitNFAMatches(_ text: String) -> Bool? {
        setMatcher.map { nfa in UTF8Decoding.withBytes(of: text) { nfa.matches($0) } }
    }

    /// The general path, kept reachable for differential tests of the fast ones.
    func pikeMatches(_ text: String) -> Bool {
        PikeVM(program: program, text: Self.scalars(of: text), captures: false).search() != nil
    }

    /// The leftmost-first match, as RE2 and Go report it, with capture groups.
    public func firstMatch(in text: String) -> Match? {
        guard let slots = PikeVM(program: program, text: Self.scalars(of: text), captures: true).search(),
              let whole = Self.range(slots, group: 0)
        else { return nil }
        return Match(range: whole, groups: (0..<captureCount).map { Self.range(slots, group: $0 + 1) })
    }

    private static func range(_ slots: [Int], group: Int) -> Range<Int>? {
        let startIndex = 2 * group
        guard startIndex + 1 < slots.count else { return nil }
        let start = slots[startIndex], end = slots[startIndex + 1]
        return start >= 0 && end >= start ? start..<end : nil
    }

    private static func scalars(of text: String) -> [UInt32] {
        var values: [UInt32] = []
        values.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { values.append(scalar.value) }
        return values
    }
}

/// A successful match. Offsets are Unicode-scalar offsets into the searched text.
public struct Match: Sendable, Equatable {
    /// The whole match.
    public var range: Range<Int>
    /// Capture groups in order: `groups[k - 1]` is group k; nil when the group did not
    /// take part in the match.
    public var groups: [Range<Int>?]

    public init(range: Range<Int>, groups: [Range<Int>?]) {
        self.range = range
        self.groups = groups
    }
}
