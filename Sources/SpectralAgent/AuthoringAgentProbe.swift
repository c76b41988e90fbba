import SpectralCatalog

/// The `authoring_agent` line of `/health`: whether authoring tasks can run. Off when no
/// model is configured (the API then refuses tasks with 503 before storing anything, and
/// the worker runs no agent lane); otherwise the model's own state, since a task is only
/// as good as the model it waits on: degraded, with the model's reason, while it fails.
public struct AuthoringAgentProbe: FeatureProbe {
    public let feature = "authoring_agent"
    let model: LLMHealthMonitor
    let configured: Bool

    /// `model` is the `llm` line's monitor, shared so both lines come from one probe.
    public init(model: LLMHealthMonitor, configured: Bool) {
        self.model = model
        self.configured = configured
    }

    public func status() async -> FeatureStatus {
        guard configured else { return FeatureStatus(state: .off) }
        let status = await model.status()
        switch status.state {
        case .wired: return FeatureStatus(state: .wired)
        case .off: return FeatureStatus(state: .off)
        case .degraded: return FeatureStatus(state: .degraded, detail: "the model is failing: \(status.detail ?? "unknown")")
        }
    }
}
