import Synchronization

/// Bounds the validations the API runs at once (`POST /v1/predicates` checks a source,
/// `POST /v1/validate` runs its tests too): each runs on a thread of its own, and their
/// CPU must not crowd out deciding. `slots` run, up to `queue` wait their turn in order,
/// and past that the caller is told to come back (503 with `Retry-After`).
final class ValidationGate: Sendable {
    let slots: Int
    let queue: Int

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Callers waiting for a slot (tests watch the queue fill).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    init(slots: Int, queue: Int) {
        self.slots = max(1, slots)
        self.queue = max(0, queue)
    }

    func run<T: Sendable>(_ body: () async -> T) async throws(APIError) -> T {
        try await enter()
        defer { leave() }
        return await body()
    }

    private func enter() async throws(APIError) {
        enum Admission { case now, wait, refuse }
        let admission = state.withLock { state -> Admission in
            if state.running < slots { state.running += 1; return .now }
            return state.waiting.count < queue ? .wait : .refuse
        }
        switch admission {
        case .now: return
        case .refuse:
            throw APIError(.serviceUnavailable, code: "busy", "too many validations in progress; retry shortly", retryAfterSeconds: 1)
        case .wait:
            await withCheckedContinuation { continuation in
                let admitted = state.withLock { state -> Bool in
                    // A slot may have freed between the check and here.
                    if state.running < slots { state.running += 1; return true }
                    state.waiting.append(continuation)
                    return false
                }
                if admitted { continuation.resume() }
            }
        }
    }

    /// Hands the slot to the first waiter, or frees it.
    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty { state.running -= 1; return nil }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
