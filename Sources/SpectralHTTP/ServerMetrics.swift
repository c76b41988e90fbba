import CoreMetrics
import Prometheus
import Synchronization

/// The server's metrics, recorded through swift-metrics into a Prometheus registry that
/// belongs to this application: nothing is bootstrapped into the global `MetricsSystem`, so
/// several applications in one process (the tests) neither share nor clash. Whoever builds
/// the application may pass a registry to expose other swift-metrics producers beside
/// these; `/metrics` emits that registry.
public final class ServerMetrics: Sendable {
    /// Decide latency buckets (seconds, as the series has always exposed them).
    static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
    ]
    /// Fuel buckets, units.
    static let fuelBuckets: [Double] = [10, 50, 100, 500, 1000, 5000, 10_000, 100_000, 1_000_000]

    /// swift-metrics carries no help text (and the registry refuses two help texts for one
    /// name), so the `# HELP` lines are added when the registry is emitted.
    static let help: [String: String] = [
        "spectral_decide_duration_seconds": "Time to answer one decision, from parsed request to result.",
        "spectral_decide_fuel": "Fuel used per decision.",
        "spectral_decisions_total": "Decisions answered.",
        "spectral_errors_total": "Error responses by code.",
        "spectral_program_cache_size": "Verified programs cached.",
        "spectral_outbox_backlog": "Pending outbox events of this generation.",
        "spectral_outbox_lag_seconds": "Age of the oldest pending outbox event.",
        "spectral_decisions_logged_total": "Decisions written to the decision log, by sink (store, jsonl).",
        "spectral_decision_log_dropped_total": "Decisions left out of the decision log: the queue was full, or a sink (store, jsonl) refused their batch.",
        "spectral_decision_log_sampled_out_total": "Decisions not logged by choice: the server's and the predicate's sample rates left them out.",
        "spectral_shadow_disagreements_total": "Live decisions a shadow version decided otherwise than the active one.",
    ]

    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let latency: CoreMetrics.Timer
    private let fuel: CoreMetrics.Recorder
    private let decisions: CoreMetrics.Counter
    /// One counter per error code, made on its first use: codes are a small fixed set,
    /// and an error flood should not go through the registry's lock and label hashing.
    private let errors = Mutex<[String: CoreMetrics.Counter]>([:])
    private let cacheSize: CoreMetrics.Gauge
    private let droppedQueueFull: CoreMetrics.Counter
    private let sampledOut: CoreMetrics.Counter
    private let shadowDisagreements: CoreMetrics.Counter
    /// Per sink: decisions written, and decisions lost to a refused batch. Made on first use
    /// (by the writer, off the decide path).
    private let sinkCounters = Mutex<[String: (logged: CoreMetrics.Counter, lost: CoreMetrics.Counter)]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = ["spectral_decide_duration_seconds": Self.latencyBuckets]
        factory.valueHistogramBuckets = ["spectral_decide_fuel": Self.fuelBuckets]
        self.registry = registry
        self.factory = factory
        latency = CoreMetrics.Timer(label: "spectral_decide_duration_seconds", factory: factory)
        fuel = CoreMetrics.Recorder(label: "spectral_decide_fuel", aggregate: true, factory: factory)
        decisions = CoreMetrics.Counter(label: "spectral_decisions_total", factory: factory)
        cacheSize = CoreMetrics.Gauge(label: "spectral_program_cache_size", factory: factory)
        droppedQueueFull = CoreMetrics.Counter(label: "spectral_decision_log_dropped_total", dimensions: [("reason", "queue_full")], factory: factory)
        sampledOut = CoreMetrics.Counter(label: "spectral_decision_log_sampled_out_total", factory: factory)
        shadowDisagreements = CoreMetrics.Counter(label: "spectral_shadow_disagreements_total", factory: factory)
    }

    /// A decision the log's queue had no room for (on the decide path: one increment).
    public func recordDecisionLogDropped() {
        droppedQueueFull.increment()
    }

    /// A shadow version decided a live decision otherwise than the active one.
    public func recordShadowDisagreement() {
        shadowDisagreements.increment()
    }

    /// A decision the sample rates leave out of the log (on the decide path: one increment).
    /// Not a drop: nothing was lost that was meant to be kept.
    public func recordDecisionLogSampledOut() {
        sampledOut.increment()
    }

    /// A batch a sink refused: its decisions are not in that sink. Counted as
    /// `spectral_decision_log_dropped_total{reason="<sink>_error"}` (`store_error`, `jsonl_error`).
    public func recordDecisionLogLost(_ count: Int, sink: String = "store") {
        counters(sink: sink).lost.increment(by: Int64(count))
    }

    /// `spectral_decisions_logged_total{sink="<sink>"}`.
    public func recordDecisionsLogged(_ count: Int, sink: String = "store") {
        counters(sink: sink).logged.increment(by: Int64(count))
    }

    private func counters(sink: String) -> (logged: CoreMetrics.Counter, lost: CoreMetrics.Counter) {
        sinkCounters.withLock { counters in
            if let existing = counters[sink] { return existing }
            let made = (logged: CoreMetrics.Counter(label: "spectral_decisions_logged_total", dimensions: [("sink", sink)], factory: factory),
                        lost: CoreMetrics.Counter(label: "spectral_decision_log_dropped_total", dimensions: [("reason", "\(sink)_error")], factory: factory))
            counters[sink] = made
            return made
        }
    }

    /// On the decide path: two histogram observations and a counter increment. The fuel
    /// goes in as an integer: swift-metrics' floating-point `record` is generic and, not
    /// specialised across the module boundary, costs a third more.
    public func recordDecision(_ elapsed: Duration, fuel used: UInt64) {
        let (seconds, attoseconds) = elapsed.components
        latency.recordNanoseconds(seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
        fuel.record(Int64(clamping: used))
        decisions.increment()
    }

    public func recordError(code: String) {
        let counter = errors.withLock { counters in
            if let counter = counters[code] { return counter }
            let counter = CoreMetrics.Counter(label: "spectral_errors_total", dimensions: [("code", code)], factory: factory)
            counters[code] = counter
            return counter
        }
        counter.increment()
    }

    /// The exposition text. The gauges are read by the caller at scrape time and set here
    /// just before the registry is emitted; an outbox figure the store could not give is
    /// removed from the registry, so its series is absent rather than stale.
    public func render(cacheSize size: Int, outboxPending: Int?, outboxLagSeconds: Double?) -> [UInt8] {
        cacheSize.record(size)
        setOrRemove("spectral_outbox_backlog", outboxPending.map(Double.init))
        setOrRemove("spectral_outbox_lag_seconds", outboxLagSeconds)
        var emitted: [UInt8] = []
        registry.emit(into: &emitted)
        return Self.addingHelp(to: emitted)
    }

    private func setOrRemove(_ label: String, _ value: Double?) {
        let gauge = CoreMetrics.Gauge(label: label, factory: factory)  // the registered one, if any
        if let value { gauge.record(value) } else { gauge.destroy() }
    }

    /// `emitted` with a `# HELP` line before each `# TYPE` line of a series of ours.
    static func addingHelp(to emitted: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(emitted.count + 512)
        for line in emitted.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            if line.starts(with: "# TYPE ".utf8), let name = line.dropFirst(7).split(separator: UInt8(ascii: " ")).first,
               let text = help[String(decoding: name, as: UTF8.self)] {
                out.append(contentsOf: "# HELP ".utf8)
                out.append(contentsOf: name)
                out.append(UInt8(ascii: " "))
                out.append(contentsOf: text.utf8)
                out.append(UInt8(ascii: "\n"))
            }
            out.append(contentsOf: line)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }
}
