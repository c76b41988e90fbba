import Foundation
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import Synchronization

/// A real store with a counter on key lookups: how a test sees how much unauthenticated
/// traffic reached the database; and one on reads of authoring events, how a test sees an
/// event stream polling.
final class CountingStore: APIStore {
    let base: any Store
    private let lookups = Atomic<Int>(0)
    private let eventReads = Atomic<Int>(0)

    init(_ base: any Store) { self.base = base }

    var keyLookups: Int { lookups.load(ordering: .relaxed) }
    var authoringEventReads: Int { eventReads.load(ordering: .relaxed) }

    func apiKey(id: String) async throws -> APIKeyRecord? {
        lookups.add(1, ordering: .relaxed)
        return try await base.apiKey(id: id)
    }

    var backend: String { base.backend }
    func insertAPIKey(_ key: APIKeyRecord) async throws { try await base.insertAPIKey(key) }
    func apiKeys() async throws -> [APIKeyRecord] { try await base.apiKeys() }
    func revokeAPIKey(id: String) async throws { try await base.revokeAPIKey(id: id) }
    func append(_ records: [DecisionRecord]) async throws { try await base.append(records) }
    func decision(id: DecisionID) async throws -> DecisionRecord? { try await base.decision(id: id) }
    func decisions(matching filter: DecisionLogFilter, limit: Int, after cursor: DecisionID?) async throws -> DecisionLogPage {
        try await base.decisions(matching: filter, limit: limit, after: cursor)
    }
    func oldestDecisionKept(keepingNewest count: Int) async throws -> DecisionID? {
        try await base.oldestDecisionKept(keepingNewest: count)
    }
    func pruneDecisions(before cutoff: DecisionID, limit: Int) async throws -> Int {
        try await base.pruneDecisions(before: cutoff, limit: limit)
    }
    func predicates() async throws -> [PredicateSummary] { try await base.predicates() }
    func versions(of name: String) async throws -> [PredicateVersion] { try await base.versions(of: name) }
    func predicate(_ name: String, version: Int?) async throws -> PredicateVersion? { try await base.predicate(name, version: version) }
    func activate(_ name: String, version: Int, by actor: String?) async throws { try await base.activate(name, version: version, by: actor) }
    func rollback(_ name: String, by actor: String?) async throws -> Int { try await base.rollback(name, by: actor) }
    func activations(of name: String) async throws -> [ActivationEvent] { try await base.activations(of: name) }
    func submit(topic: String, payload: String, generation: Int64) async throws -> Int64 {
        try await base.submit(topic: topic, payload: payload, generation: generation)
    }
    func status(ofEvent id: Int64) async throws -> EventStatus { try await base.status(ofEvent: id) }
    func claim(generation: Int64, adoptingAfter silence: Duration?, lease: Duration, maxAttempts: Int,
               topics: OutboxTopics) async throws -> ClaimOutcome {
        try await base.claim(generation: generation, adoptingAfter: silence, lease: lease, maxAttempts: maxAttempts, topics: topics)
    }
    func renewLease(_ claim: Claim, lease: Duration) async throws { try await base.renewLease(claim, lease: lease) }
    func complete(_ claim: Claim, handler: String, effect: HandlerEffect) async throws -> HandledEvent {
        try await base.complete(claim, handler: handler, effect: effect)
    }
    func recordFailure(_ claim: Claim, error: String, retryAfter: Duration, maxAttempts: Int) async throws -> FailureDisposition {
        try await base.recordFailure(claim, error: error, retryAfter: retryAfter, maxAttempts: maxAttempts)
    }
    func requeue(eventID: Int64) async throws { try await base.requeue(eventID: eventID) }
    func backlog(generation: Int64) async throws -> OutboxBacklog { try await base.backlog(generation: generation) }
    func deadEvents(limit: Int) async throws -> [DeadLetter] { try await base.deadEvents(limit: limit) }
    func createAuthoringTask(id: String, name: String, request: String, owner: String, generation: Int64) async throws -> AuthoringTaskRecord {
        try await base.createAuthoringTask(id: id, name: name, request: request, owner: owner, generation: generation)
    }
    func authoringTask(id: String) async throws -> AuthoringTaskRecord? { try await base.authoringTask(id: id) }
    func authoringTasks(status: AuthoringTaskStatus?, limit: Int, before: String?) async throws -> [AuthoringTaskRecord] {
        try await base.authoringTasks(status: status, limit: limit, before: before)
    }
    func appendAuthoringMessage(taskID: String, text: String, generation: Int64) async throws -> AuthoringTaskRecord? {
        try await base.appendAuthoringMessage(taskID: taskID, text: text, generation: generation)
    }
    func authoringMessages(taskID: String) async throws -> [Int: String] { try await base.authoringMessages(taskID: taskID) }
    func requestAuthoringCancel(id: String) async throws -> AuthoringTaskRecord? { try await base.requestAuthoringCancel(id: id) }
    func setAuthoringStatus(id: String, _ status: AuthoringTaskStatus, detail: String?) async throws {
        try await base.setAuthoringStatus(id: id, status, detail: detail)
    }
    func appendAuthoringEvent(taskID: String, turn: Int, kind: AuthoringEventKind, data: String) async throws -> Int64 {
        try await base.appendAuthoringEvent(taskID: taskID, turn: turn, kind: kind, data: data)
    }
    func authoringEvents(taskID: String, after sequence: Int64, limit: Int) async throws -> [AuthoringTaskEvent] {
        eventReads.add(1, ordering: .relaxed)
        return try await base.authoringEvents(taskID: taskID, after: sequence, limit: limit)
    }
    func saveAuthoringCheckpoint(_ checkpoint: AuthoringCheckpoint) async throws { try await base.saveAuthoringCheckpoint(checkpoint) }
    func authoringCheckpoints(taskID: String) async throws -> [AuthoringCheckpoint] { try await base.authoringCheckpoints(taskID: taskID) }
    func listen(to channel: NotificationChannel, onNotification: @escaping @Sendable (String) -> Void) async throws {
        try await base.listen(to: channel, onNotification: onNotification)
    }
}

/// The process's resident set size in bytes (Linux: /proc/self/status).
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
    return kilobytes * 1024
}
