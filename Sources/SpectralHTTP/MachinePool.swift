import Spectral
import Synchronization

/// Machines of one program, reused across requests: a machine's registers and heap arena
/// are allocated once and reset (not freed) between evaluations. Holds at most `capacity`
/// idle machines; a burst beyond that makes fresh ones that are dropped afterwards.
final class MachinePool: Sendable {
    /// A machine in a box, so that taking one from the pool and giving it back moves one
    /// reference instead of copying the machine's every array (a retain and a release each).
    /// Unchecked: a slot is used by one evaluation at a time, the one that took it out of
    /// the pool, and the pool's lock orders the hand-overs.
    private final class Slot: @unchecked Sendable {
        var machine: Machine
        init(_ machine: Machine) { self.machine = machine }
    }

    private let program: Program
    private let idle = Mutex<[Slot]>([])
    private let capacity: Int

    init(program: Program, capacity: Int = 64) {
        self.program = program
        self.capacity = capacity
    }

    func evaluate(json input: [UInt8]) -> Evaluation {
        withMachine { program.evaluate(json: input, on: &$0) }
    }

    /// With at most `budget` fuel: nil when that was not enough (`Program.evaluate(json:on:fuelAtMost:)`).
    func evaluate(json input: [UInt8], fuelAtMost budget: UInt64) -> Evaluation? {
        withMachine { program.evaluate(json: input, on: &$0, fuelAtMost: budget) }
    }

    /// Runs `body` on an idle machine (a fresh one when none is idle), then keeps it for the next.
    func withMachine<T>(_ body: (inout Machine) -> T) -> T {
        let slot = idle.withLock { $0.popLast() } ?? Slot(program.makeMachine())
        let result = body(&slot.machine)
        idle.withLock { slots in
            if slots.count < capacity { slots.append(slot) }
        }
        return result
    }
}
