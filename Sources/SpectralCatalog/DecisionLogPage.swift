/// One page of a decision log listing, newest first.
public struct DecisionLogPage: Sendable, Equatable {
    public var records: [DecisionRecord]
    /// Pass back as `after` for the next page; nil when this page is the last.
    public var nextCursor: DecisionID?

    public init(records: [DecisionRecord], nextCursor: DecisionID?) {
        self.records = records
        self.nextCursor = nextCursor
    }
}
