import Dispatch

/// Runs blocking work (child processes such as psql, synchronous database access) on a GCD
/// thread. The Swift concurrency pool has one thread per core (two here): blocking it
/// would starve the timers and sleeps the tests measure.
@discardableResult
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}

/// Runs `operation`; false when it has not finished within `timeout` (it is then left
/// running, so a bug fails the test instead of hanging it).
public func finishes(within timeout: Duration, _ operation: @escaping @Sendable () async -> Void) async -> Bool {
    let (stream, continuation) = AsyncStream.makeStream(of: Bool.self)
    Task {
        await operation()
        continuation.yield(true)
    }
    let timer = Task {
        guard (try? await Task.sleep(for: timeout)) != nil else { return }  // cancelled: the operation won
        continuation.yield(false)
    }
    var iterator = stream.makeAsyncIterator()
    let finished = await iterator.next() ?? false
    timer.cancel()
    return finished
}

/// Polls `condition` every `interval` until it holds; false after `timeout`.
public func eventually(timeout: Duration, interval: Duration = .milliseconds(20),
                       _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: interval)
    }
}
