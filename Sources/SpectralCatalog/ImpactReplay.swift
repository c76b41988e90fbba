import Foundation
import Spectral

/// Replays logged inputs through the active version and a candidate, into an
/// `ImpactReport`. Synchronous: the worker runs it inside the publishing handler, within
/// its budget, after validation; the active version runs on a second thread beside the
/// handler's when there is a second core (`parallel`).
public struct ImpactReplay {
    public var active: Program
    public var activeVersion: Int
    public var candidate: Program
    /// Whether the two versions run at once, on two threads: by default when the machine
    /// has more than one core (on one, a second thread would only add its own cost).
    public var parallel: Bool

    public init(active: Program, activeVersion: Int, candidate: Program,
                parallel: Bool = ProcessInfo.processInfo.activeProcessorCount > 1) {
        self.active = active
        self.activeVersion = activeVersion
        self.candidate = candidate
        self.parallel = parallel
    }

    /// `records` newest first, each input once (`DecisionLogRepository.recentInputs`).
    /// `shouldStop` is asked between inputs: a replay past the handler's budget ends early.
    public func report(replaying records: [DecisionRecord], shouldStop: @escaping @Sendable () -> Bool = { false }) -> ImpactReport {
        var report = ImpactReport(comparedWith: activeVersion, replayed: 0, unchanged: 0, changes: [:], examples: [:],
                                  activeFuel: .init(p50: 0, p99: 0), candidateFuel: .init(p50: 0, p99: 0))
        let (before, after) = runBoth(on: records.map { Array($0.input.utf8) }, shouldStop: shouldStop)
        for (record, (was, now)) in zip(records, zip(before, after)) {
            report.replayed += 1
            guard let change = was.outcome.change(to: now.outcome) else {
                report.unchanged += 1
                continue
            }
            Self.count(change, ImpactReport.Example(decisionID: record.id, input: record.input, before: was.outcome, after: now.outcome),
                       changes: &report.changes, examples: &report.examples)
        }
        report.activeFuel = Self.summary(before.prefix(report.replayed).map(\.fuel))
        report.candidateFuel = Self.summary(after.prefix(report.replayed).map(\.fuel))
        return report
    }

    /// Both versions on `inputs` made up for the purpose (`SampleInputGenerator`): the
    /// changes, with examples, that logged traffic may not have shown.
    public func compare(generated inputs: [JSONValue], shouldStop: @escaping @Sendable () -> Bool = { false }) -> ImpactReport.GeneratedComparison {
        var comparison = ImpactReport.GeneratedComparison()
        let (before, after) = runBoth(on: inputs.map { $0.serializedBytes() }, shouldStop: shouldStop)
        for (input, (was, now)) in zip(inputs, zip(before, after)) {
            comparison.tried += 1
            guard let change = was.outcome.change(to: now.outcome) else { continue }
            Self.count(change, ImpactReport.Example(decisionID: nil, input: input.serialized(), before: was.outcome, after: now.outcome),
                       changes: &comparison.changes, examples: &comparison.examples)
        }
        return comparison
    }

    /// Counts one change, keeping `example` while its kind has fewer than `maxExamples`
    /// (built only then: a generated input is serialised for it).
    private static func count(_ change: ImpactReport.Change, _ example: @autoclosure () -> ImpactReport.Example,
                              changes: inout [ImpactReport.Change: Int], examples: inout [ImpactReport.Change: [ImpactReport.Example]]) {
        changes[change, default: 0] += 1
        if examples[change, default: []].count < ImpactReport.maxExamples {
            examples[change, default: []].append(example())
        }
    }

    /// One evaluation's outcome and fuel.
    struct Run: Sendable {
        var outcome: ImpactOutcome
        var fuel: UInt64
    }

    /// Each version over every input, the active one on a thread of its own when `parallel`:
    /// the two are independent, and on two cores a publication waits for the longer run
    /// instead of both. Both stop at the first input `shouldStop` refuses, so the shorter of
    /// the two lists is the inputs run.
    private func runBoth(on inputs: [[UInt8]], shouldStop: @escaping @Sendable () -> Bool) -> ([Run], [Run]) {
        let active = self.active
        let (before, after) = parallel
            ? LargeStackThread.both({ Self.run(active, on: inputs, shouldStop: shouldStop) },
                                    { Self.run(candidate, on: inputs, shouldStop: shouldStop) })
            : (Self.run(active, on: inputs, shouldStop: shouldStop), Self.run(candidate, on: inputs, shouldStop: shouldStop))
        let count = min(before.count, after.count)
        return (Array(before.prefix(count)), Array(after.prefix(count)))
    }

    private static func run(_ program: Program, on inputs: [[UInt8]], shouldStop: () -> Bool) -> [Run] {
        var machine = program.makeMachine()
        var runs: [Run] = []
        runs.reserveCapacity(inputs.count)
        for input in inputs {
            if shouldStop() { break }
            let evaluation = program.evaluate(json: input, on: &machine)
            runs.append(Run(outcome: ImpactOutcome(evaluation), fuel: evaluation.fuelUsed))
        }
        return runs
    }

    /// Nearest-rank percentiles.
    static func summary(_ fuel: [UInt64]) -> ImpactReport.FuelSummary {
        guard !fuel.isEmpty else { return .init(p50: 0, p99: 0) }
        let sorted = fuel.sorted()
        func rank(_ p: Double) -> UInt64 { sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        return .init(p50: rank(0.5), p99: rank(0.99))
    }
}
