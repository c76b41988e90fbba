import Synchronization

/// The server's Prometheus metrics, kept here rather than through swift-metrics and a
/// Prometheus backend: four series do not justify two more packages in every build.
/// `render` writes the text exposition format.
public final class ServerMetrics: Sendable {
    /// Decide latency buckets, seconds.
    static let latencyBuckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
    /// Fuel buckets, units.
    static let fuelBuckets: [Double] = [10, 50, 100, 500, 1000, 5000, 10_000, 100_000, 1_000_000]

    private struct Histogram {
        var buckets: [Double]
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0

        init(_ buckets: [Double]) {
            self.buckets = buckets
            counts = Array(repeating: 0, count: buckets.count)
        }

        mutating func observe(_ value: Double) {
            for index in buckets.indices where value <= buckets[index] { counts[index] += 1 }
            sum += value
            count += 1
        }

        func render(_ name: String, into out: inout String) {
            for (bound, count) in zip(buckets, counts) { out += "\(name)_bucket{le=\"\(bound)\"} \(count)\n" }
            out += "\(name)_bucket{le=\"+Inf\"} \(count)\n\(name)_sum \(sum)\n\(name)_count \(count)\n"
        }
    }

    private struct State {
        var latency = Histogram(ServerMetrics.latencyBuckets)
        var fuel = Histogram(ServerMetrics.fuelBuckets)
        var errors: [String: UInt64] = [:]
        var decisions: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func recordDecision(seconds: Double, fuel: UInt64) {
        state.withLock { state in
            state.latency.observe(seconds)
            state.fuel.observe(Double(fuel))
            state.decisions += 1
        }
    }

    public func recordError(code: String) {
        state.withLock { $0.errors[code, default: 0] += 1 }
    }

    /// The exposition text; the gauges are read by the caller at scrape time.
    public func render(cacheSize: Int, outboxPending: Int?, outboxLagSeconds: Double?) -> String {
        var out = ""
        state.withLock { state in
            out += "# HELP spectral_decide_duration_seconds Time to answer one decision, from parsed request to result.\n"
            out += "# TYPE spectral_decide_duration_seconds histogram\n"
            state.latency.render("spectral_decide_duration_seconds", into: &out)
            out += "# HELP spectral_decide_fuel Fuel used per decision.\n# TYPE spectral_decide_fuel histogram\n"
            state.fuel.render("spectral_decide_fuel", into: &out)
            out += "# HELP spectral_decisions_total Decisions answered.\n# TYPE spectral_decisions_total counter\n"
            out += "spectral_decisions_total \(state.decisions)\n"
            out += "# HELP spectral_errors_total Error responses by code.\n# TYPE spectral_errors_total counter\n"
            for (code, count) in state.errors.sorted(by: { $0.key < $1.key }) {
                out += "spectral_errors_total{code=\"\(code)\"} \(count)\n"
            }
        }
        out += "# HELP spectral_program_cache_size Verified programs cached.\n# TYPE spectral_program_cache_size gauge\n"
        out += "spectral_program_cache_size \(cacheSize)\n"
        if let outboxPending {
            out += "# HELP spectral_outbox_backlog Pending outbox events of this generation.\n# TYPE spectral_outbox_backlog gauge\n"
            out += "spectral_outbox_backlog \(outboxPending)\n"
        }
        if let outboxLagSeconds {
            out += "# HELP spectral_outbox_lag_seconds Age of the oldest pending outbox event.\n# TYPE spectral_outbox_lag_seconds gauge\n"
            out += "spectral_outbox_lag_seconds \(outboxLagSeconds)\n"
        }
        return out
    }
}
