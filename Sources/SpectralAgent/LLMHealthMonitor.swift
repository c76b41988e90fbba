import Logging
import SpectralCatalog

/// The `llm` line of `/health`: off when no model is configured, wired when the endpoint
/// answers `GET /models` with our key, degraded when it is configured but failing.
///
/// Probes are cached so `/health` stays cheap under frequent polling: the first call waits
/// for a probe (bounded by `probeTimeout`); later calls answer from the last probe and
/// start a fresh one in the background once it is older than `staleAfter`.
public actor LLMHealthMonitor: FeatureProbe {
    public typealias Status = FeatureStatus

    public nonisolated let feature = "llm"

    private let client: ChatCompletionClient?
    private let staleAfter: Duration
    private let probeTimeout: Duration
    private var last: (status: Status, at: ContinuousClock.Instant)?
    private var refreshing: Task<Void, Never>?

    private let logger: Logger

    public init(configuration: LLMConfiguration?, logger: Logger, staleAfter: Duration = .seconds(30),
                probeTimeout: Duration = .seconds(2)) {
        self.client = configuration.map { ChatCompletionClient(configuration: $0, logger: logger) }
        self.staleAfter = staleAfter
        self.probeTimeout = probeTimeout
        self.logger = logger
    }

    public func status() async -> Status {
        guard client != nil else { return Status(state: .off) }
        guard let last else {
            await refresh()
            return self.last?.status ?? Status(state: .degraded, detail: "not probed yet")
        }
        if ContinuousClock.now - last.at > staleAfter, refreshing == nil {
            refreshing = Task { await self.refresh() }
        }
        return last.status
    }

    private func refresh() async {
        guard let client else { return }
        let status: Status
        do {
            try await client.probe(timeout: probeTimeout)
            status = Status(state: .wired)
        } catch {
            // `/health` is unauthenticated: a short reason there, the whole story (with the
            // endpoint redacted) in the log.
            status = Status(state: .degraded, detail: error.shortReason)
            logger.warning("llm probe failed", metadata: ["error": "\(error)"])
        }
        last = (status, ContinuousClock.now)
        refreshing = nil
    }
}
