import BenchSupport
import Benchmark
import Spectral

// Per predicate of Fixtures/bench/predicates.json (checked against `expected` first):
//   <name>/eval            run() with the input already bound (the hot loop alone), fuel metered
//   <name>/eval_unmetered  runUnmetered() on the same bound input: the cost of metering
//   <name>/native          the hand-written Swift equivalent over typed values decoded once
//   <name>/eval_json       evaluate(json:on:): binding the input from JSON bytes + run
//   <name>/compile         source → verified program
//   <name>/mallocs         heap allocations of one run() (no scaling: one evaluation per sample)
// Timing benchmarks run 1,000 evaluations per sample (scalingFactor .kilo); figures are per evaluation.

/// Everything one predicate's benchmarks share; built and verified before any timing.
final class PredicateBench: @unchecked Sendable {
    let predicate: WorkloadPredicate
    let environment: Environment
    let program: Program
    var machine: Machine
    var jsonMachine: Machine
    let native: NativePredicate

    init(_ predicate: WorkloadPredicate) {
        self.predicate = predicate
        environment = predicate.environment()
        program = predicate.compiled()
        machine = program.makeMachine()
        jsonMachine = program.makeMachine()
        native = Natives.make(predicate.name, input: predicate.input)
        do {
            try JSONBinder.bind(predicate.inputJSON, into: &machine, shapes: program.inputShapes)
        } catch {
            benchFailure("\(predicate.name): input does not bind: \(error)")
        }
        verify()
    }

    /// Every path must give `expected` before it is timed.
    func verify() {
        let name = predicate.name, expected = predicate.expected
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
            try JSONBinder.bind(predicate.inputJSON, into: &m, shapes: program.inputShapes)
            check("the decoded module's run()", m.run())
        } catch {
            benchFailure("\(name): encoded module does not reload: \(error)")
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    let seconds = Int(ProcessInfo.processInfo.environment["SPECTRAL_BENCH_SECONDS"] ?? "") ?? 1
    let timing = Benchmark.Configuration(
        metrics: [.wallClock], timeUnits: .nanoseconds, warmupIterations: 3, scalingFactor: .kilo,
        maxDuration: .seconds(seconds), maxIterations: 1_000_000)
    let withMallocs = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, warmupIterations: 3, scalingFactor: .kilo,
        maxDuration: .seconds(seconds), maxIterations: 1_000_000)
    let single = Benchmark.Configuration(
        metrics: [.wallClock], timeUnits: .nanoseconds, warmupIterations: 10, scalingFactor: .one,
        maxDuration: .seconds(seconds), maxIterations: 1_000_000)
    let mallocs = Benchmark.Configuration(
        metrics: [.mallocCountTotal], warmupIterations: 10, scalingFactor: .one,
        maxDuration: .seconds(seconds), maxIterations: 2_000)

    for predicate in Workload.load() {
        let bench = PredicateBench(predicate)
        let name = predicate.name

        Benchmark("\(name)/eval", configuration: timing) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(bench.machine.run()) }
        }
        Benchmark("\(name)/eval_unmetered", configuration: timing) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(bench.machine.runUnmetered()) }
        }
        Benchmark("\(name)/native", configuration: timing) { benchmark in
            let native = bench.native
            for _ in benchmark.scaledIterations { blackHole(native.evaluate()) }
        }
        Benchmark("\(name)/eval_json", configuration: withMallocs) { benchmark in
            let json = bench.predicate.inputJSON, program = bench.program
            for _ in benchmark.scaledIterations { blackHole(program.evaluate(json: json, on: &bench.jsonMachine)) }
        }
        Benchmark("\(name)/compile", configuration: single) { benchmark in
            blackHole(try? compile(bench.predicate.expr, in: bench.environment))
        }
        Benchmark("\(name)/mallocs", configuration: mallocs) { benchmark in
            blackHole(bench.machine.run())
        }
        Benchmark("\(name)/native_mallocs", configuration: mallocs) { benchmark in
            blackHole(bench.native.evaluate())
        }
    }
}
