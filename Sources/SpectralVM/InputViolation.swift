/// One way an input broke its declarations, at one place: `/txn/amount: 250 is above the
/// maximum 100`. Kept apart from the message it joins so a caller that must not repeat
/// some of the input (a field the predicate masks in its log) can say where and what
/// without the value: `withoutValue` names no part of the input below `pointer`.
public struct InputViolation: Sendable, Equatable, CustomStringConvertible {
    /// Where, as a JSON pointer (RFC 6901) into the input object: `/txn/items/0/qty`.
    public var pointer: String
    /// What, possibly quoting the value: `"10.0.0.300" is not an IPv4 address`.
    public var problem: String
    /// What, quoting nothing of the value: `not an IPv4 address`.
    public var withoutValue: String

    public init(pointer: String, problem: String, withoutValue: String? = nil) {
        self.pointer = pointer
        self.problem = problem
        self.withoutValue = withoutValue ?? problem
    }

    public var description: String { "\(pointer): \(problem)" }
    /// The description without the value.
    public var masked: String { "\(pointer): \(withoutValue)" }
}
