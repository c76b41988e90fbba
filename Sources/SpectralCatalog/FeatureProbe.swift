/// A feature whose wiring `/health` reports (the LLM, for now): the API asks, the feature's
/// own target answers, so the HTTP front needs no dependency on it.
public protocol FeatureProbe: Sendable {
    /// The key under `/health`'s `features`; a degraded feature's reason is `<feature>_error`.
    var feature: String { get }
    func status() async -> FeatureStatus
}

/// One feature's line in `/health`.
public struct FeatureStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Configured and answering.
        case wired
        /// Configured but failing.
        case degraded
        /// Not configured.
        case off
    }

    public var state: State
    /// Why it is degraded.
    public var detail: String?

    public init(state: State, detail: String? = nil) {
        self.state = state
        self.detail = detail
    }
}
