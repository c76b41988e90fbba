import BenchSupport
import Foundation
import Benchmark
import Spectral
import SpectralCatalog

// Per predicate of Fixtures/bench/predicates.json (each path checked against `expected` first),
// compiled twice: untyped (each variable a CEL type: `map(string, dyn)`, `list(dyn)`, ...) and
// typed (each variable declared by the entry's JSON Schema, `schema`):
//   <name>/1-hot            the hot loop with the input already bound, interleaved in every sample:
//                           untyped `run()` (fuel metered), `runUnmetered()`, the hand-written native
//                           Swift equivalent and typed `run()`, each timed over a batch of 1,000
//                           evaluations and recorded as custom metrics (nanoseconds per 1,000).
//                           Interleaving keeps the four comparable on a shared, noisy machine.
//   <name>/2-json           the decide path, `evaluate(json:on:)` (binding the input from JSON bytes +
//                           run), untyped then typed (binding validates against the schema), each
//                           over a batch of 100 in every sample (ns per 100): interleaved like 1-hot,
//                           so the typed/untyped speedup is not the machine's load changing between runs
//   <name>/3-compile        source → verified program
//   <name>/4-mallocs        heap allocations of one `run()` on bound input (one evaluation per sample)
//   <name>/4-mallocs-typed  the same for the typed program
//   <name>/4-json-mallocs   heap allocations of one `evaluate(json:on:)`; -typed: the typed program
//   <name>/5-native-mallocs the same for the native equivalent (a check of the harness: expect 0)
/// Everything one predicate's benchmarks share; built and verified before any timing.
final class PredicateBench: @unchecked Sendable {
    let predicate: WorkloadPredicate
    let typed: Bool
    let environment: Environment
    let program: Program
    var machine: Machine
    var jsonMachine: Machine
    let native: NativePredicate

    init(_ predicate: WorkloadPredicate, typed: Bool = false) {
        self.predicate = predicate
        self.typed = typed
        environment = predicate.environment(typed: typed)
        program = predicate.compiled(typed: typed)
        machine = program.makeMachine()
        jsonMachine = program.makeMachine()
        native = Natives.make(predicate.name, input: predicate.input)
        do {
            try JSONBinder.bind(predicate.inputJSON, into: &machine)
        } catch {
            benchFailure("\(predicate.name): input does not bind: \(error)")
        }
        verify()
    }

    /// Every path must give `expected` before it is timed.
    func verify() {
        let name = predicate.name + (typed ? " (typed)" : ""), expected = predicate.expected
        func check(_ what: String, _ outcome: Machine.Outcome) {
            guard case .value(let value) = outcome.result else {
                benchFailure("\(name): \(what) trapped: \(outcome.result)")
            }
            guard case .bool(let b) = value, expected == .bool(b) else {
                benchFailure("\(name): \(what) gave \(value), expected \(expected)")
            }
        }
        for _ in 0..<3 {  // repeated runs on the same bound input must agree
            check("run()", machine.run())
            check("runUnmetered()", machine.runUnmetered())
        }
        switch program.evaluate(json: predicate.inputJSON, on: &jsonMachine).result {
        case .success(let value) where value == expected: break
        case let other: benchFailure("\(name): evaluate(json:) gave \(other), expected \(expected)")
        }
        guard expected == .bool(native.evaluate()) else {
            benchFailure("\(name): the native equivalent gave \(native.evaluate()), expected \(expected)")
        }
        do {
            let reloaded = try Program(bytes: program.encoded)
            var m = reloaded.makeMachine()
            try JSONBinder.bind(predicate.inputJSON, into: &m)
            check("the decoded module's run()", m.run())
        } catch {
            benchFailure("\(name): encoded module does not reload: \(error)")
        }
    }
}

/// Nanoseconds on the monotonic clock.
@inline(__always) func nanoseconds() -> Int {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return ts.tv_sec * 1_000_000_000 + ts.tv_nsec
}

let batch = 1_000
let evalMetric = BenchmarkMetric.custom("run() ns per 1000", useScalingFactor: false)
let unmeteredMetric = BenchmarkMetric.custom("runUnmetered() ns per 1000", useScalingFactor: false)
let nativeMetric = BenchmarkMetric.custom("native ns per 1000", useScalingFactor: false)
let typedMetric = BenchmarkMetric.custom("typed run() ns per 1000", useScalingFactor: false)
let jsonBatch = 100
let jsonMetric = BenchmarkMetric.custom("json ns per 100", useScalingFactor: false)
let typedJSONMetric = BenchmarkMetric.custom("typed json ns per 100", useScalingFactor: false)
let explainMetric = BenchmarkMetric.custom("explain ns per 100", useScalingFactor: false)
/// Logged inputs an impact replay runs through two versions (the issue's default).
let replayedInputs = 1_000

let benchmarks: @Sendable () -> Void = {
    let seconds = Int(ProcessInfo.processInfo.environment["SPECTRAL_BENCH_SECONDS"] ?? "") ?? 1
    let hot = Benchmark.Configuration(
        metrics: [evalMetric, unmeteredMetric, nativeMetric, typedMetric],
        units: [evalMetric: .count, unmeteredMetric: .count, nativeMetric: .count, typedMetric: .count],  // exported unrounded
        warmupIterations: 5, scalingFactor: .one,
        maxDuration: .seconds(2 * seconds), maxIterations: 1_000_000)
    let json = Benchmark.Configuration(
        metrics: [jsonMetric, typedJSONMetric], units: [jsonMetric: .count, typedJSONMetric: .count],
        warmupIterations: 3, scalingFactor: .one, maxDuration: .seconds(2 * seconds), maxIterations: 1_000_000)
    let explain = Benchmark.Configuration(
        metrics: [jsonMetric, explainMetric], units: [jsonMetric: .count, explainMetric: .count],
        warmupIterations: 3, scalingFactor: .one, maxDuration: .seconds(2 * seconds), maxIterations: 1_000_000)
    let single = Benchmark.Configuration(
        metrics: [.wallClock], timeUnits: .nanoseconds, warmupIterations: 10, scalingFactor: .one,
        maxDuration: .seconds(seconds), maxIterations: 1_000_000)
    let mallocs = Benchmark.Configuration(
        metrics: [.mallocCountTotal], warmupIterations: 10, scalingFactor: .one,
        maxDuration: .seconds(seconds), maxIterations: 2_000)

    for predicate in Workload.load() {
        let bench = PredicateBench(predicate)
        let typed = PredicateBench(predicate, typed: true)
        let name = predicate.name

        Benchmark("\(name)/1-hot", configuration: hot) { benchmark in
            let native = bench.native
            let t0 = nanoseconds()
            for _ in 0..<batch { blackHole(bench.machine.run()) }
            let t1 = nanoseconds()
            for _ in 0..<batch { blackHole(bench.machine.runUnmetered()) }
            let t2 = nanoseconds()
            for _ in 0..<batch { blackHole(native.evaluate()) }
            let t3 = nanoseconds()
            for _ in 0..<batch { blackHole(typed.machine.run()) }
            let t4 = nanoseconds()
            benchmark.measurement(evalMetric, t1 - t0)
            benchmark.measurement(unmeteredMetric, t2 - t1)
            benchmark.measurement(nativeMetric, t3 - t2)
            benchmark.measurement(typedMetric, t4 - t3)
        }
        // The decide path, as the server runs it (DecideRoutes: `evaluate(json:on:)` on a pooled machine).
        Benchmark("\(name)/2-json", configuration: json) { benchmark in
            let input = predicate.inputJSON
            let t0 = nanoseconds()
            for _ in 0..<jsonBatch { blackHole(bench.program.evaluate(json: input, on: &bench.jsonMachine)) }
            let t1 = nanoseconds()
            for _ in 0..<jsonBatch { blackHole(typed.program.evaluate(json: input, on: &typed.jsonMachine)) }
            let t2 = nanoseconds()
            benchmark.measurement(jsonMetric, t1 - t0)
            benchmark.measurement(typedJSONMetric, t2 - t1)
        }
        Benchmark("\(name)/3-compile", configuration: single) { benchmark in
            blackHole(try? compile(bench.predicate.expr, in: bench.environment))
        }
        for (suffix, b) in [("", bench), ("-typed", typed)] {
            Benchmark("\(name)/4-mallocs\(suffix)", configuration: mallocs) { benchmark in
                blackHole(b.machine.run())
            }
            Benchmark("\(name)/4-json-mallocs\(suffix)", configuration: mallocs) { benchmark in
                blackHole(b.program.evaluate(json: b.predicate.inputJSON, on: &b.jsonMachine))
            }
        }
        Benchmark("\(name)/5-native-mallocs", configuration: mallocs) { benchmark in
            blackHole(bench.native.evaluate())
        }
        // `"explain": true`: the explained program's run and the clause tree read from it,
        // next to the plain run from JSON (what the decide path runs besides it).
        let explainer: Explainer
        do { explainer = try Explainer.compile(predicate.expr, in: bench.environment) } catch {
            benchFailure("\(name): does not compile to explain: \(error)")
        }
        Benchmark("\(name)/6-explain", configuration: explain) { benchmark in
            let input = predicate.inputJSON
            let t0 = nanoseconds()
            for _ in 0..<jsonBatch { blackHole(bench.program.evaluate(json: input, on: &bench.jsonMachine)) }
            let t1 = nanoseconds()
            for _ in 0..<jsonBatch { blackHole(explainer.explain(json: input)) }
            let t2 = nanoseconds()
            benchmark.measurement(jsonMetric, t1 - t0)
            benchmark.measurement(explainMetric, t2 - t1)
        }
        // The impact gate's replay: 1,000 distinct logged inputs through two versions (here
        // the same program twice: every input evaluated by both, none stopping early).
        let records = replayRecords(predicate)
        // Side by side: the two versions on two threads (the default on this machine), and
        // one after the other on the caller's thread.
        let replay = ImpactReplay(active: bench.program, activeVersion: 1, candidate: bench.program, parallel: true)
        Benchmark("\(name)/7-replay-1000", configuration: single) { benchmark in
            blackHole(replay.report(replaying: records))
        }
        let sequential = ImpactReplay(active: bench.program, activeVersion: 1, candidate: bench.program, parallel: false)
        Benchmark("\(name)/7-replay-1000-one-thread", configuration: single) { benchmark in
            blackHole(sequential.report(replaying: records))
        }
    }
}

/// `replayedInputs` logged decisions of `predicate`, each input made distinct by a member
/// the predicate does not read (the untyped program skips it).
func replayRecords(_ predicate: WorkloadPredicate) -> [DecisionRecord] {
    let text = String(decoding: predicate.inputJSON, as: UTF8.self)
    return (0..<replayedInputs).map { i in
        DecisionRecord(id: DecisionID(milliseconds: 1_765_000_000_000 + UInt64(i), randA: 0, randB: 0x8000_0000_0000_0000),
                       predicate: predicate.name, version: 1, input: #"{"_replayed": \#(i), "# + text.dropFirst(),
                       outcome: .decided(json: "true"), fuel: 0, latencyMicroseconds: 0, caller: nil, generation: 1)
    }
}
