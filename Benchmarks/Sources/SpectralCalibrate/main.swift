// What one unit of fuel costs: nanoseconds per fuel unit for each builtin and operator,
// at small and at maximal inputs (see Cases.swift). Prints a table, the median and the
// worst, and fails (exit 1) when the worst is more than `allowedRatio` × the median: the
// promise "an evaluation ends within its fuel" is only as good as this ratio.
//
//   Benchmarks/calibrate.sh [--filter TEXT] [--json FILE]
//
// Each case binds its input once (JSON, as the decide path does), then runs the same
// machine repeatedly; the time is the fastest of several batches of at least 20 ms
// (steady state, no first-run page faults), divided by the fuel the run used.
import Foundation
import Spectral
import SpectralJSON
import SpectralVM

let allowedRatio = 10.0
var filter: String? = nil
var jsonPath: String? = nil
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--filter": filter = arguments.next()
    case "--json": jsonPath = arguments.next()
    default: FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8)); exit(2)
    }
}

func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

struct Row {
    var name: String
    var fuel: UInt64
    var nanoseconds: Double
    var perUnit: Double { nanoseconds / Double(max(fuel, 1)) }
}

// Fuel high enough that no case runs out: the point is to measure the work a unit buys.
let limits = Limits(fuel: 1 << 40, memory: 8 << 20)
// Every variable a case may bind (Cases.swift); `l` and `m` hold ints or strings.
let declarations: [String: CELType] = [
    "r": .list(.int), "s": .string, "t": .string, "p": .string, "ip": .string, "ts": .string,
    "l": .dyn, "m": .dyn, "ls": .list(.string), "d": .double, "x": .int,
]
var rows: [Row] = []
for testCase in Cases.all where filter.map({ testCase.name.contains($0) }) ?? true {
    let program: Program
    do {
        program = try compile(testCase.expr, in: Environment(variables: declarations, limits: limits))
    } catch {
        print("skip \(testCase.name): \(error)")
        continue
    }
    var machine = program.makeMachine()
    do {
        try JSONBinder.bind(Array(testCase.input.utf8), into: &machine,
                            limits: JSONLimits(maxBytes: 64 << 20))
    } catch {
        print("skip \(testCase.name): input: \(error)")
        continue
    }
    let first = machine.run()
    guard case .value(let value) = first.result else {
        print("skip \(testCase.name): \(first.result)")
        continue
    }
    if case .error = value { print("note \(testCase.name): evaluates to an error") }
    // Batches of at least 20 ms; the fastest batch of five, per evaluation.
    var best = Double.infinity
    for _ in 0..<5 {
        var count = 0
        let start = now()
        var elapsed: UInt64 = 0
        repeat {
            _ = machine.run()
            count += 1
            elapsed = now() - start
        } while elapsed < 20_000_000
        best = min(best, Double(elapsed) / Double(count))
    }
    rows.append(Row(name: testCase.name, fuel: first.fuelUsed, nanoseconds: best))
}

guard !rows.isEmpty else { print("no cases"); exit(2) }
let sorted = rows.map(\.perUnit).sorted()
let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
let worst = rows.max { $0.perUnit < $1.perUnit }!
let cheapest = rows.min { $0.perUnit < $1.perUnit }!

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
func fixed(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

print(pad("case", 44) + lpad("fuel", 14) + lpad("µs/eval", 12) + lpad("ns/unit", 10) + lpad("×median", 9))
for row in rows {
    print(pad(row.name, 44) + lpad(String(row.fuel), 14) + lpad(fixed(row.nanoseconds / 1000, 2), 12)
          + lpad(fixed(row.perUnit, 2), 10) + lpad(fixed(row.perUnit / median, 2), 9))
}
let ratio = worst.perUnit / median
print("")
print("cases: \(rows.count)  median: \(fixed(median, 2)) ns/unit  cheapest: \(fixed(cheapest.perUnit, 2)) (\(cheapest.name))")
print("worst: \(fixed(worst.perUnit, 2)) ns/unit (\(worst.name)), \(fixed(ratio, 2))× the median (allowed \(fixed(allowedRatio, 0))×)")
if let jsonPath {
    let entries = rows.map { "    {\"case\": \"\($0.name)\", \"fuel\": \($0.fuel), \"ns_per_unit\": \(fixed($0.perUnit, 3))}" }
    let text = "{\n  \"median_ns_per_unit\": \(fixed(median, 3)),\n  \"worst_ns_per_unit\": \(fixed(worst.perUnit, 3)),\n"
        + "  \"worst_case\": \"\(worst.name)\",\n  \"cases\": [\n" + entries.joined(separator: ",\n") + "\n  ]\n}\n"
    try? text.write(toFile: jsonPath, atomically: true, encoding: .utf8)
}
exit(ratio <= allowedRatio ? 0 : 1)
