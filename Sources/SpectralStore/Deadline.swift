import Synchronization

/// Runs an operation with a time limit: past it, `Exceeded` is thrown at once and the
/// operation's task is cancelled and left to finish on its own. (A task group would wait
/// for the child, and a driver stuck on a vanished server may ignore cancellation.) Store
/// calls use it so that no wait on the database can stall the worker or a request forever.
enum Deadline {
    struct Exceeded: Error {}

    /// The first outcome wins: the operation's result, the timer, or the caller's cancellation.
    private enum State<T: Sendable> {
        case running
        case finished(Result<T, any Error>)
        case awaiting(CheckedContinuation<T, any Error>)
        case delivered
    }

    static func run<T: Sendable>(within limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let state = Mutex<State<T>>(.running)
        let finish = { @Sendable (result: Result<T, any Error>) in
            let waiting = state.withLock { state -> CheckedContinuation<T, any Error>? in
                switch state {
                case .running:
                    state = .finished(result)
                    return nil
                case .awaiting(let continuation):
                    state = .delivered
                    return continuation
                case .finished, .delivered:
                    return nil
                }
            }
            waiting?.resume(with: result)
        }
        let work = Task {
            do { finish(.success(try await operation())) } catch { finish(.failure(error)) }
        }
        let timer = Task {
            try await Task.sleep(for: limit)
            finish(.failure(Exceeded()))
        }
        defer {
            timer.cancel()
            work.cancel()
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<T, any Error>? in
                    if case .finished(let result) = state {
                        state = .delivered
                        return result
                    }
                    state = .awaiting(continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            finish(.failure(CancellationError()))
        }
    }
}
