import SpectralConformance
import Testing

/// The network extension is held to the whole of its conformance file: every
/// `network_ext` test runs (none is skipped) and passes.
@Suite struct NetworkConformanceTests {
    @Test func passesEveryNetworkExtensionTest() throws {
        let summary = try ConformanceRunner().run(fileBytes: ConformanceTests.fixture)
        let network = summary.outcomes.filter { $0.id.hasPrefix("network_ext/") }
        #expect(network.count >= 53)
        for outcome in network {
            #expect(outcome.verdict == .passed, "\(outcome.id): \(outcome.verdict)")
        }
    }
}
