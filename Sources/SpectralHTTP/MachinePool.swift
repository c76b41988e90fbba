import Spectral
import Synchronization

/// Machines of one program, reused across requests: a machine's registers and heap arena
/// are allocated once and reset (not freed) between evaluations. Holds at most `capacity`
/// idle machines; a burst beyond that makes fresh ones that are dropped afterwards.
final class MachinePool: Sendable {
    private let program: Program
    private let idle = Mutex<[Machine]>([])
    private let capacity: Int

    init(program: Program, capacity: Int = 64) {
        self.program = program
        self.capacity = capacity
    }

    func evaluate(json input: [UInt8]) -> Evaluation {
        var machine = idle.withLock { $0.popLast() } ?? program.makeMachine()
        let evaluation = program.evaluate(json: input, on: &machine)
        idle.withLock { machines in
            if machines.count < capacity { machines.append(machine) }
        }
        return evaluation
    }
}
