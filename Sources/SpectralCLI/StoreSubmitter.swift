import Spectral
import SpectralAgent
import SpectralCatalog
import SpectralStore

/// Embedded mode: the agent's submission goes straight into the store's outbox, as
/// `spectral submit` does; the verdict is read from the store.
struct StoreSubmitter: PredicateSubmitter {
    let store: any Store
    let generation: Int64

    func submit(_ request: PredicateDefinition) async throws -> Int64 {
        try await store.submit(.predicateAuthored(request), generation: generation)
    }

    func verdict(ofEvent id: Int64) async throws -> Verdict? {
        switch try await store.status(ofEvent: id) {
        case .pending: return nil
        case .published(let name, let version), .unchanged(let name, let version): return .published(name: name, version: version)
        case .held(let name, let version, let reason, let impact, let findings):
            return .held(name: name, version: version, reason: reason, impact: impact, findings: findings)
        case .rejected(let name, let diagnostics): return .rejected(name: name, diagnostics: diagnostics)
        case .deadLettered(_, let lastError): return .deadLettered(lastError: lastError ?? "unknown")
        case .handled: return .deadLettered(lastError: "handled by a handler that publishes nothing")
        }
    }
}
