import Spectral
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

/// A program whose bound the checker cannot size first runs inline on a slice of fuel;
/// a decision that needs more is made again on the pool with the whole fuel, to the same
/// result as one run with the whole fuel.
@Suite struct EvaluationLaneSliceTests {
    @Test func shortAndLongRunsOfAnUnboundedProgramDecideAlike() async throws {
        let source = "l.filter(x, x % 3 == 0).size()"
        let program = try compile(source, in: Environment(variables: ["l": .list(.int)], limits: Limits(fuel: 200_000)))
        #expect(program.module.costBound == .max, "the list is unsized, so the bound is unknown")
        let entry = ProgramCache.Entry(name: "thirds", version: 1, program: program, source: source)
        let lane = EvaluationLane()
        for n in [3, 300, 3_000] {
            let input = Array(#"{"l": [\#((0..<n).map(String.init).joined(separator: ","))]}"#.utf8)
            let laned = try await lane.evaluate(entry, json: input)
            let whole = program.evaluate(json: input)
            #expect(laned.result == .success(.int(Int64((n + 2) / 3))), "n \(n)")
            #expect(laned.fuelUsed == whole.fuelUsed)
            if n == 3_000 { #expect(whole.fuelUsed > lane.inlineCostBound, "the long run outgrows the inline slice") }
        }
        // Past the slice and past the whole fuel: the verdict names the program's limit.
        let pairs = try compile("l.all(a, l.all(b, a + b >= 0))", in: Environment(variables: ["l": .list(.int)], limits: Limits(fuel: 200_000)))
        let spinning = ProgramCache.Entry(name: "pairs", version: 1, program: pairs, source: "")
        let input = Array(#"{"l": [\#((0..<300).map(String.init).joined(separator: ","))]}"#.utf8)
        #expect(input.count <= lane.inlineInputBytes)
        let exhausted = try await lane.evaluate(spinning, json: input)
        #expect(exhausted.result == .failure(.fuelExhausted(limit: 200_000)), "the whole fuel's verdict, not the slice's")
    }
}
