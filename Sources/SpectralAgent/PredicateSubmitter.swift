import Spectral
import SpectralCatalog

/// Where an authored predicate goes: the HTTP intake (`POST /v1/predicates`) or, in
/// embedded mode, straight into the store's outbox. Either way a worker validates it
/// again and publishes a version or a rejection: the verdict.
public protocol PredicateSubmitter: Sendable {
    /// Writes the `predicate.authored` event; returns its id.
    func submit(_ request: PredicateDefinition) async throws -> Int64
    /// The worker's verdict on the event, or nil while it is pending.
    func verdict(ofEvent id: Int64) async throws -> Verdict?
}

/// What the worker decided about a submitted predicate.
public enum Verdict: Sendable, Equatable, CustomStringConvertible {
    case published(name: String, version: Int)
    /// Published, but not live: its activation policy held it on its impact report or findings.
    case held(name: String, version: Int, reason: String, impact: ImpactReport?, findings: VersionFindings? = nil)
    case rejected(name: String, diagnostics: [AuthoringDiagnostic])
    /// The event failed too often to be handled (an operator must requeue it).
    case deadLettered(lastError: String)

    public var description: String {
        switch self {
        case .published(let name, let version):
            return "published \(name)@\(version)"
        case .held(let name, let version, let reason, let impact, let findings):
            return (["held \(name)@\(version) (published, not active): \(reason)"] + (impact.map { [$0.summary()] } ?? [])
                + (findings.map { [$0.summary()] } ?? [])).joined(separator: "\n")
        case .rejected(let name, let diagnostics):
            return "rejected \(name):\n" + diagnostics.map { "  - " + $0.labelled(indent: 4) }.joined(separator: "\n")
        case .deadLettered(let lastError):
            return "dead-lettered: \(lastError)"
        }
    }
}

extension PredicateSubmitter {
    /// Polls until the worker has decided or `timeout` passes (then nil: still pending).
    public func waitForVerdict(ofEvent id: Int64, timeout: Duration, pollInterval: Duration = .milliseconds(100)) async throws -> Verdict? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let verdict = try await verdict(ofEvent: id) { return verdict }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: pollInterval)
        }
    }
}
