@testable import SpectralHTTP
import Testing

/// Which decisions leave the cooperative pool (see `EvaluationLane`; the latency it buys
/// is measured by `Benchmarks/starvation.sh`, not here).
@Suite struct EvaluationLaneTests {
    @Test func onlyWorkThatMayBeLongLeavesThePool() {
        let lane = EvaluationLane()
        #expect(!lane.mayBeLong(costBound: 12, inputBytes: 200), "a trivial predicate stays inline")
        #expect(!lane.mayBeLong(costBound: lane.inlineCostBound, inputBytes: lane.inlineInputBytes))
        #expect(lane.mayBeLong(costBound: .max, inputBytes: 10), "a loop depends on input sizes")
        #expect(lane.mayBeLong(costBound: lane.inlineCostBound + 1, inputBytes: 10))
        #expect(lane.mayBeLong(costBound: 12, inputBytes: lane.inlineInputBytes + 1), "string work is charged by size")
    }
}
