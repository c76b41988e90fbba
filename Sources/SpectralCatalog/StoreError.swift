/// Errors of the store that callers act on; driver errors (a connection lost, a server
/// restarting) pass through unchanged and are treated as transient.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidDatabaseURL(String)
    case unknownPredicate(String)
    case unknownVersion(name: String, version: Int)
    case unknownEvent(Int64)
    case unknownAPIKey(String)
    /// Rollback has no earlier activation to return to.
    case nothingToRollBack(String)
    /// An applied migration's text differs from the one this binary carries.
    case migrationChecksumMismatch(version: Int, name: String)
    /// The schema is older than this binary needs; run `spectral migrate`.
    case schemaOutOfDate(applied: Int, required: Int)
    case corruptRow(String)
    /// A value the database cannot keep faithfully.
    case unstorable(String)
    /// A call did not finish in time (the server is unreachable or stalled).
    case timedOut(Duration)
    /// A claim no longer holds its event (its lease ended and another claim took it, or an
    /// operator moved it): the claim's outcome was not written.
    case claimLost(eventID: Int64)
    /// A follow-up message came while the task's current turn is still running.
    case taskBusy(id: String, status: String)

    public var description: String {
        switch self {
        case .invalidDatabaseURL(let url): return "invalid database URL '\(RedactedURL(url))': expected postgres://user[:password]@host[:port]/database or sqlite:PATH"
        case .unknownPredicate(let name): return "no predicate named '\(name)'"
        case .unknownVersion(let name, let version): return "predicate '\(name)' has no version \(version)"
        case .unknownEvent(let id): return "no outbox event \(id)"
        case .unknownAPIKey(let id): return "no active API key \(id)"
        case .nothingToRollBack(let name): return "predicate '\(name)' has no earlier active version to roll back to"
        case .migrationChecksumMismatch(let version, let name):
            return "migration \(version) (\(name)) was changed after it was applied: migrations are forward-only, add a new one"
        case .schemaOutOfDate(let applied, let required):
            return "the database schema is at migration \(applied), this build needs \(required): run `spectral migrate`"
        case .corruptRow(let what): return "corrupt row: \(what)"
        case .unstorable(let what): return "cannot store \(what)"
        case .timedOut(let limit): return "the database did not answer within \(limit)"
        case .claimLost(let id): return "outbox event \(id) is no longer held by this claim"
        case .taskBusy(let id, let status): return "authoring task \(id) is \(status): send a follow-up once its turn has finished"
        }
    }
}
