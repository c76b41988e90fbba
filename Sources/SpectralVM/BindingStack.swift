/// The direct binder's stack of values being collected (an object's fields, an array's
/// elements), in one allocation that a machine keeps from one input to the next.
///
/// Read and written through its pointer: a Swift array here paid a uniqueness check on
/// every write, since the binder's recursion keeps the compiler from proving the array
/// unshared. A machine's stack is used by one binding at a time; a machine copied (so two
/// share one) gets a stack of its own when it next binds (`Machine.takeBindingStack`).
/// Unchecked `Sendable` for that reason: `Machine` is sendable, and no two bindings ever
/// write one stack.
final class BindingStack: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Value>
    private(set) var capacity: Int

    init(capacity: Int = 64) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    deinit {
        // `Value` is trivial: its slots need no deinitialising.
        base.deallocate()
    }

    /// Makes room for at least `count` values, keeping the first `kept`.
    func grow(toHold count: Int, keeping kept: Int) {
        let larger = max(count, capacity * 2)
        let moved = UnsafeMutablePointer<Value>.allocate(capacity: larger)
        moved.moveInitialize(from: base, count: kept)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
