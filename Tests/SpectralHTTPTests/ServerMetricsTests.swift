import Prometheus
@testable import SpectralHTTP
import Testing

/// The exposition keeps the series names, labels and buckets dashboards and alerts were
/// written against, whatever library renders it; each application has its own registry.
struct ServerMetricsTests {
    func lines(_ metrics: ServerMetrics, cacheSize: Int = 0, pending: Int? = nil, lag: Double? = nil) -> [String] {
        String(decoding: metrics.render(cacheSize: cacheSize, outboxPending: pending, outboxLagSeconds: lag), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    @Test func seriesNamesLabelsAndBucketsAreUnchanged() {
        let metrics = ServerMetrics()
        metrics.recordDecision(.microseconds(300), fuel: 75)
        metrics.recordError(code: "not_found")
        metrics.recordError(code: "not_found")
        metrics.recordError(code: "rate_limited")
        let text = Set(lines(metrics, cacheSize: 3))
        let latency = ["0.0001": 0, "0.00025": 0, "0.0005": 1, "0.001": 1, "0.0025": 1, "0.005": 1, "0.01": 1, "0.025": 1,
                       "0.05": 1, "0.1": 1, "0.25": 1, "1.0": 1, "+Inf": 1]
        for (bound, count) in latency { #expect(text.contains(#"spectral_decide_duration_seconds_bucket{le="\#(bound)"} \#(count)"#)) }
        let fuel = ["10.0": 0, "50.0": 0, "100.0": 1, "500.0": 1, "1000.0": 1, "5000.0": 1, "10000.0": 1, "100000.0": 1,
                    "1000000.0": 1, "+Inf": 1]
        for (bound, count) in fuel { #expect(text.contains(#"spectral_decide_fuel_bucket{le="\#(bound)"} \#(count)"#)) }
        for line in ["spectral_decide_duration_seconds_count 1", "spectral_decide_fuel_sum 75.0", "spectral_decide_fuel_count 1",
                     "spectral_decisions_total 1", #"spectral_errors_total{code="not_found"} 2"#, #"spectral_errors_total{code="rate_limited"} 1"#,
                     "spectral_program_cache_size 3.0",
                     "# TYPE spectral_decide_duration_seconds histogram", "# TYPE spectral_decide_fuel histogram",
                     "# TYPE spectral_decisions_total counter", "# TYPE spectral_errors_total counter", "# TYPE spectral_program_cache_size gauge",
                     "# HELP spectral_decisions_total Decisions answered."] {
            #expect(text.contains(line), "missing \(line)")
        }
        #expect(text.filter { $0.hasPrefix("spectral_decide_duration_seconds_bucket") }.count == 13)
        #expect(text.filter { $0.hasPrefix("spectral_decide_fuel_bucket") }.count == 10)
    }

    @Test func helpLinesPrecedeTheirTypeLines() {
        let metrics = ServerMetrics()
        metrics.recordDecision(.milliseconds(2), fuel: 10)
        let all = lines(metrics, pending: 1, lag: 0.5)
        for (index, line) in all.enumerated() where line.hasPrefix("# TYPE ") {
            let name = line.split(separator: " ")[2]
            #expect(index > 0 && all[index - 1].hasPrefix("# HELP \(name) "), "no help for \(name)")
        }
    }

    /// The outbox figures come from the store at scrape time; when it cannot give them the
    /// series disappear rather than repeat the last value.
    @Test func scrapeTimeGaugesFollowTheStore() {
        let metrics = ServerMetrics()
        #expect(lines(metrics, cacheSize: 2, pending: 4, lag: 1.5).contains("spectral_outbox_backlog 4.0"))
        var text = lines(metrics, cacheSize: 5, pending: 0, lag: nil)
        #expect(text.contains("spectral_outbox_backlog 0.0") && text.contains("spectral_program_cache_size 5.0"))
        #expect(!text.contains { $0.contains("spectral_outbox_lag_seconds") })
        text = lines(metrics, cacheSize: 5, pending: nil, lag: nil)
        #expect(!text.contains { $0.contains("spectral_outbox") })
        #expect(lines(metrics, pending: 7, lag: 2).contains("spectral_outbox_lag_seconds 2.0"))
    }

    @Test func applicationsKeepTheirOwnRegistries() {
        let registry = PrometheusCollectorRegistry()
        let first = ServerMetrics(registry: registry), second = ServerMetrics()
        first.recordDecision(.milliseconds(1), fuel: 1)
        #expect(lines(first).contains("spectral_decisions_total 1"))
        #expect(lines(second).contains("spectral_decisions_total 0"))
        var emitted: [UInt8] = []
        registry.emit(into: &emitted)
        #expect(String(decoding: emitted, as: UTF8.self).contains("spectral_decisions_total 1"), "the injected registry is the one recorded into")
    }
}
