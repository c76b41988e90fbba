import Logging
import Spectral
import SpectralCatalog
import Synchronization

/// Explained programs (`Explainer`) by `name@version`, compiled from the stored source the
/// first time a decision of that version is explained. Kept apart from `ProgramCache`:
/// the decide path never compiles, and explaining is rare, so a few entries suffice.
final class ExplainerCache: Sendable {
    struct Entry: Sendable {
        let explainer: Explainer
        /// What the version's explanations must not show.
        let masks: InputMasks
    }

    private let state = Mutex<[String: Entry]>([:])
    private let limits: Limits
    private let capacity: Int
    private let logger: Logger

    init(limits: Limits, capacity: Int = 32, logger: Logger) {
        self.limits = limits
        self.capacity = capacity
        self.logger = logger
    }

    /// The explainer of `name@version`, read from `store` and compiled (off the
    /// cooperative pool) unless cached.
    func entry(_ name: String, version: Int, store: any PredicateRepository) async throws(APIError) -> Entry {
        if let cached = state.withLock({ $0["\(name)@\(version)"] }) { return cached }
        let stored: PredicateVersion?
        do {
            stored = try await store.predicate(name, version: version)
        } catch {
            throw APIError.storeUnavailable(error)
        }
        guard let stored else { throw APIError.notFound("predicate '\(name)' has no version \(version)") }
        return try await compile(stored)
    }

    private func compile(_ version: PredicateVersion) async throws(APIError) -> Entry {
        let limits = self.limits
        let outcome = await LargeStackThread.value { () -> Result<Explainer, any Error> in
            Result { try version.explainer(limits: limits) }
        }
        let compiled: Explainer
        switch outcome {
        case .success(let explainer):
            compiled = explainer
        case .failure(let error):
            // It compiled when it was published: a failure now is this build's, not the caller's.
            logger.error("stored predicate failed to compile for an explanation",
                         metadata: ["predicate": "\(version.reference)", "error": "\(error)"])
            throw APIError(.internalServerError, code: "unexplainable_predicate",
                           "\(version.reference) cannot be compiled to explain its decisions")
        }
        let entry = Entry(explainer: compiled, masks: version.inputMask.explanationMasks)
        state.withLock { entries in
            // Versions are immutable, so any entry may go; dropping them all keeps this simple and bounded.
            if entries.count >= capacity { entries.removeAll() }
            entries[version.reference] = entry
        }
        return entry
    }
}
