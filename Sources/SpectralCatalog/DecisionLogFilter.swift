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

extension DecisionLogFilter {
    /// Below every id a decision at or after `since` can have. A decision's time is its
    /// id's (`DecisionRecord.createdAt`), so a time range is also a range of the primary
    /// key, which the stores add beside the time condition: a listing by time then walks
    /// that range, and needs no index on `created_at`. A millisecond wider than `since`,
    /// for a `Date`'s `Double`; the time condition itself still decides.
    public var idLowerBound: DecisionID? {
        since.map { DecisionID.earliest(atMilliseconds: Self.milliseconds(($0.timeIntervalSince1970 * 1000).rounded(.down) - 1)) }
    }

    /// Above every id a decision before `until` can have (exclusive), likewise.
    public var idUpperBound: DecisionID? {
        until.map { DecisionID.earliest(atMilliseconds: Self.milliseconds(($0.timeIntervalSince1970 * 1000).rounded(.up) + 1)) }
    }

    /// Milliseconds as an id holds them: 48 bits, none before 1970.
    private static func milliseconds(_ value: Double) -> UInt64 {
        let most: UInt64 = 0xFFFF_FFFF_FFFF
        guard value > 0 else { return 0 }
        return value >= Double(most) ? most : UInt64(value)
    }
}
