import NIOPosix
import Spectral

/// Where a decision is evaluated. Request handlers run on Swift's cooperative pool, which
/// has one thread per core (two here): four decisions that each burn their whole fuel
/// would hold every thread, and `/health` and trivial decisions would wait behind them.
/// So an evaluation that may be long runs on NIO's blocking-work thread pool instead,
/// leaving the cooperative threads to answer everything else; the operating system shares
/// the cores between them. One that is surely short runs inline: the hand-off costs
/// microseconds, which the decide path's floor cannot spare.
///
/// "May be long": the program's static cost bound exceeds `inlineCostBound` (or depends
/// on input sizes), or the input is over `inlineInputBytes` (string and list work is
/// charged by size, so a short program over a large input can still use its fuel).
///
/// A bound is what the worst input could cost; most inputs cost far less (a list the
/// bound cannot size is usually short). So a program whose bound is over the line, on a
/// small input, first runs inline with `inlineCostBound` fuel, and only when that runs out
/// goes to the pool for a run with its whole fuel: what is wasted is at most one short
/// slice, and the decision is the same (runs are pure).
struct EvaluationLane: Sendable {
    var inlineCostBound: UInt64 = 10_000
    var inlineInputBytes = 16 << 10

    func mayBeLong(costBound: UInt64, inputBytes: Int) -> Bool {
        costBound > inlineCostBound || inputBytes > inlineInputBytes
    }

    /// The inline cases make no closure: nothing allocated on the decide path's floor.
    func evaluate(_ entry: ProgramCache.Entry, json input: [UInt8]) async throws -> Evaluation {
        if !mayBeLong(costBound: entry.program.module.costBound, inputBytes: input.count) { return entry.machines.evaluate(json: input) }
        if input.count <= inlineInputBytes, let short = entry.machines.evaluate(json: input, fuelAtMost: inlineCostBound) { return short }
        let machines = entry.machines
        return try await run(mayBeLong: true) { machines.evaluate(json: input) }
    }

    /// Runs `work` (a batch's evaluations) on the pool when `mayBeLong`, else inline.
    func run<T>(mayBeLong: Bool, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard mayBeLong else { return try work() }
        return try await NIOThreadPool.singleton.runIfActive { Handed(try work()) }.value
    }
}

/// A result handed back from the thread pool: it holds only values the thread that made
/// it no longer touches (an evaluation's value, a response's bytes).
private struct Handed<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
