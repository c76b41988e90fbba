import SpectralCatalog
import SpectralJSON

/// Relays the model's text to the task's event stream as it arrives, merged into events
/// of at least `minimumBytes` or `interval` apart: a model streams a token at a time, and
/// one stored row per token would cost more than the answer.
actor DeltaRelay {
    let store: any AuthoringTaskRepository
    let taskID: String
    let turn: Int
    let round: Int
    let minimumBytes: Int
    let interval: Duration
    private var pending = ""
    private var lastFlush = ContinuousClock.now
    /// A store failure while relaying: the answer still completes, and the turn's next
    /// write reports the store's state.
    private var failure: (any Error)?

    init(store: any AuthoringTaskRepository, taskID: String, turn: Int, round: Int, minimumBytes: Int = 256,
         interval: Duration = .milliseconds(100)) {
        self.store = store
        self.taskID = taskID
        self.turn = turn
        self.round = round
        self.minimumBytes = minimumBytes
        self.interval = interval
    }

    func add(_ text: String) async {
        pending += text
        if pending.utf8.count >= minimumBytes || ContinuousClock.now - lastFlush >= interval {
            do { try await write() } catch { failure = error }
        }
    }

    /// Writes what is pending; throws the first failure of the round's relaying.
    func flush() async throws {
        if let failure { throw failure }
        try await write()
    }

    private func write() async throws {
        lastFlush = ContinuousClock.now
        guard !pending.isEmpty else { return }
        let text = pending
        pending = ""
        let data = JSONValue.object([("round", .number(JSONNumber(Int64(round)))), ("text", .string(text))]).serialized()
        try await store.appendAuthoringEvent(taskID: taskID, turn: turn, kind: .delta, data: data)
    }
}
