/// Why an evaluation stopped without a value. Unlike CEL errors (which are values and can
/// be absorbed), a trap leaves the run loop at once.
public enum Trap: Error, Sendable, Equatable {
    /// The evaluation used all of its fuel.
    case fuelExhausted(limit: UInt64)
    /// Values built during the evaluation exceeded the memory limit.
    case memoryExhausted(limit: Int)

    public var message: String {
        switch self {
        case .fuelExhausted(let limit): return "fuel exhausted (limit \(limit) units)"
        case .memoryExhausted(let limit): return "memory limit exceeded (limit \(limit) bytes)"
        }
    }
}
