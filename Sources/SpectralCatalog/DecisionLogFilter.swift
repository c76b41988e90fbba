import Foundation

/// Which logged decisions a listing returns; every condition set must hold.
public struct DecisionLogFilter: Sendable, Equatable {
    public var predicate: String?
    /// Only with `predicate` (a version number means nothing across predicates).
    public var version: Int?
    /// Decisions made at or after this time.
    public var since: Date?
    /// Decisions made before this time.
    public var until: Date?
    /// Decided, failed, decided a boolean, or failed with one error code.
    public var outcome: DecisionOutcomeFilter?
    /// False (the default): the decisions answered. True: only shadow versions' decisions
    /// that disagreed with them (`DecisionRecord.shadowOf`).
    public var shadow: Bool

    public init(predicate: String? = nil, version: Int? = nil, since: Date? = nil, until: Date? = nil,
                outcome: DecisionOutcomeFilter? = nil, shadow: Bool = false) {
        self.predicate = predicate
        self.version = version
        self.since = since
        self.until = until
        self.outcome = outcome
        self.shadow = shadow
    }
}
