/// One step of the compiled NFA. Only `scalar`, `oneOf` and `match` are "thread
/// states" the VM keeps between input positions; the rest are followed immediately.
enum Instruction: Sendable {
    /// Consume exactly this scalar.
    case scalar(UInt32)
    /// Consume any scalar in the class.
    case oneOf(CharacterClass)
    /// Try both targets; the first has priority (this is how greediness is encoded).
    case split(Int, Int)
    case jump(Int)
    /// Record the current position in capture slot n (group k uses slots 2k, 2k+1).
    case save(Int)
    case assert(Assertion)
    case match
}

/// A compiled pattern: instructions plus facts the VM uses to skip work.
struct Program: Sendable {
    var instructions: [Instruction]
    /// Slots for group 0 (the whole match) and every capture group.
    var slotCount: Int
    /// The pattern can only match at offset 0 (it starts with `\A` or a non-multiline `^`),
    /// so the search never needs to restart later.
    var anchoredStart: Bool
    /// A scalar every match must start with, if there is one; lets the VM jump straight
    /// to candidate positions while no thread is alive.
    var firstScalar: UInt32?
}
