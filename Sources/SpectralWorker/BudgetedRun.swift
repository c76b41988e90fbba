import SpectralCatalog
import Synchronization

/// Runs a synchronous job (a handler) on a large-stack thread of its own and waits for it
/// at most `budget`, measured on the given clock (the worker's: tests advance a manual one).
/// Why a thread and not a task: the job blocks (parsing, checking, running tests), and a
/// blocked cooperative-pool thread would starve the process's other tasks; and a job past
/// its budget cannot be cancelled, only left behind, which a thread allows.
enum BudgetedRun {
    enum Outcome<T: Sendable>: Sendable {
        case finished(T)
        /// The budget ran out first; the job goes on, unobserved, until it ends by itself.
        case overBudget
        /// The waiting task was cancelled first.
        case abandoned
    }

    /// `job` gets a stop flag, raised when its result will not be waited for.
    static func run<T: Sendable>(budget: Duration, clock: any Clock<Duration>,
                                 _ job: @escaping @Sendable (HandlerStop) -> T) async -> Outcome<T> {
        let first = FirstOutcome<T>()
        let stop = HandlerStop()
        defer { stop.raise() }  // finished already, or left behind: either way nothing more is wanted
        LargeStackThread.start { first.offer(.finished(job(stop))) }
        return await withDiscardingTaskGroup { group in
            group.addTask {
                // A cancelled sleep throws: that is the caller's cancellation, not the budget.
                if (try? await clock.sleep(for: budget)) != nil { first.offer(.overBudget) }
            }
            let outcome = await withTaskCancellationHandler {
                await first.value()
            } onCancel: {
                first.offer(.abandoned)
            }
            group.cancelAll()
            return outcome
        }
    }

    /// Keeps the first outcome offered and hands it to the one waiter.
    final class FirstOutcome<T: Sendable>: Sendable {
        private struct State {
            var outcome: Outcome<T>?
            var waiter: CheckedContinuation<Outcome<T>, Never>?
        }

        private let state = Mutex(State())

        func offer(_ outcome: Outcome<T>) {
            let waiter = state.withLock { state -> CheckedContinuation<Outcome<T>, Never>? in
                guard state.outcome == nil else { return nil }
                state.outcome = outcome
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: outcome)
        }

        func value() async -> Outcome<T> {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Outcome<T>? in
                    if let outcome = state.outcome { return outcome }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
