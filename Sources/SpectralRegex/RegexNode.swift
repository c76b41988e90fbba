/// The parsed form of a pattern. Flags are already applied: case-insensitive literals
/// became classes, `.` became a class, and `^`/`$` became line or text assertions, so
/// the compiler never needs to know about flags.
indirect enum RegexNode: Sendable {
    /// Matches the empty string.
    case empty
    case literal(UInt32)
    case charClass(CharacterClass)
    case assertion(Assertion)
    /// A group; `capture` is the group number (1-based) for capturing groups.
    case group(RegexNode, capture: Int?)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `max == nil` means unbounded.
    case `repeat`(RegexNode, min: Int, max: Int?, greedy: Bool)
}

/// Zero-width conditions checked against the scalars around a position.
enum Assertion: Sendable, Equatable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}
