/// The activation log of one predicate, replayed as a stack: publishing with activation
/// and activating push a version, rolling back pops one. Rollback therefore walks back
/// through earlier active versions instead of toggling between the last two.
struct ActivationHistory {
    enum Action: String { case publish, activate, rollback }

    private(set) var stack: [Int] = []

    init(_ entries: [(version: Int, action: String)]) {
        for entry in entries {
            switch Action(rawValue: entry.action) {
            case .publish, .activate:
                if stack.last != entry.version { stack.append(entry.version) }
            case .rollback:
                if stack.count > 1 { stack.removeLast() }
            case nil:
                continue
            }
        }
    }

    /// The version a rollback returns to, nil when there is no earlier one.
    var rollbackTarget: Int? { stack.count > 1 ? stack[stack.count - 2] : nil }
}
