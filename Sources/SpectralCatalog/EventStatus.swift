import Spectral

/// Where an outbox event stands, as `spectral status` and `GET /v1/authoring/{id}` show it.
public enum EventStatus: Sendable, Equatable {
    /// Not yet handled; `attempts` failed so far, the last with `lastError`.
    case pending(attempts: Int, lastError: String?)
    case published(name: String, version: Int)
    /// Published, but its activation policy kept it from going live: `reason` says why,
    /// the report and findings are what the policy read.
    case held(name: String, version: Int, reason: String, impact: ImpactReport?, findings: VersionFindings? = nil)
    /// Identical to the active version `version` (source, declarations, result type, mask
    /// and log sample): nothing was published.
    case unchanged(name: String, version: Int)
    case rejected(name: String, diagnostics: [AuthoringDiagnostic])
    /// Failed too often; needs an operator (`spectral outbox requeue`).
    case deadLettered(attempts: Int, lastError: String?)
    /// Handled, by a handler that publishes nothing.
    case handled

    public var label: String {
        switch self {
        case .pending: return "pending"
        case .published: return "published"
        case .held: return "held"
        case .unchanged: return "unchanged"
        case .rejected: return "rejected"
        case .deadLettered: return "dead"
        case .handled: return "handled"
        }
    }
}
