import Spectral

/// Replays logged inputs through the active version and a candidate, into an
/// `ImpactReport`. Pure and synchronous: the worker runs it inside the publishing
/// handler, on the handler's thread and within its budget, after validation.
public struct ImpactReplay {
    public var active: Program
    public var activeVersion: Int
    public var candidate: Program

    public init(active: Program, activeVersion: Int, candidate: Program) {
        self.active = active
        self.activeVersion = activeVersion
        self.candidate = candidate
    }

    /// `records` newest first, each input once (`DecisionLogRepository.recentInputs`).
    /// `shouldStop` is asked between inputs: a replay past the handler's budget ends early.
    public func report(replaying records: [DecisionRecord], shouldStop: () -> Bool = { false }) -> ImpactReport {
        var activeMachine = active.makeMachine(), candidateMachine = candidate.makeMachine()
        var report = ImpactReport(comparedWith: activeVersion, replayed: 0, unchanged: 0, changes: [:], examples: [:],
                                  activeFuel: .init(p50: 0, p99: 0), candidateFuel: .init(p50: 0, p99: 0))
        var activeFuel: [UInt64] = [], candidateFuel: [UInt64] = []
        for record in records {
            if shouldStop() { break }
            let input = Array(record.input.utf8)
            let before = active.evaluate(json: input, on: &activeMachine)
            let after = candidate.evaluate(json: input, on: &candidateMachine)
            report.replayed += 1
            activeFuel.append(before.fuelUsed)
            candidateFuel.append(after.fuelUsed)
            let (was, now) = (ImpactOutcome(before), ImpactOutcome(after))
            guard let change = was.change(to: now) else {
                report.unchanged += 1
                continue
            }
            report.changes[change, default: 0] += 1
            if report.examples[change, default: []].count < ImpactReport.maxExamples {
                report.examples[change, default: []].append(
                    ImpactReport.Example(decisionID: record.id, input: record.input, before: was, after: now))
            }
        }
        report.activeFuel = Self.summary(activeFuel)
        report.candidateFuel = Self.summary(candidateFuel)
        return report
    }

    /// Both versions on `inputs` made up for the purpose (`SampleInputGenerator`): the
    /// changes, with examples, that logged traffic may not have shown.
    public func compare(generated inputs: [JSONValue], shouldStop: () -> Bool = { false }) -> ImpactReport.GeneratedComparison {
        var activeMachine = active.makeMachine(), candidateMachine = candidate.makeMachine()
        var comparison = ImpactReport.GeneratedComparison()
        for input in inputs {
            if shouldStop() { break }
            let bytes = input.serializedBytes()
            let was = ImpactOutcome(active.evaluate(json: bytes, on: &activeMachine))
            let now = ImpactOutcome(candidate.evaluate(json: bytes, on: &candidateMachine))
            comparison.tried += 1
            guard let change = was.change(to: now) else { continue }
            comparison.changes[change, default: 0] += 1
            if comparison.examples[change, default: []].count < ImpactReport.maxExamples {
                comparison.examples[change, default: []].append(
                    ImpactReport.Example(decisionID: nil, input: input.serialized(), before: was, after: now))
            }
        }
        return comparison
    }

    /// Nearest-rank percentiles.
    static func summary(_ fuel: [UInt64]) -> ImpactReport.FuelSummary {
        guard !fuel.isEmpty else { return .init(p50: 0, p99: 0) }
        let sorted = fuel.sorted()
        func rank(_ p: Double) -> UInt64 { sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        return .init(p50: rank(0.5), p99: rank(0.99))
    }
}
