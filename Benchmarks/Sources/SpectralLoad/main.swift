// Loading compiled predicates: decode + verify + cache in a dictionary keyed `name@version`.
//
//   SpectralLoad generate FILE [COUNT]   compile COUNT (10,000) variants of the workload's
//                                        predicates (different constants) and write their
//                                        encoded modules to FILE
//   SpectralLoad load FILE [RUNS]        load them all RUNS (5) times; print JSON with the
//                                        median time and the resident memory per predicate
//
// The two steps run in separate processes so that memory freed by compilation cannot be
// reused by the loaded programs and hide their footprint. Resident memory is read from
// /proc/self/statm just before and after the first load.
import BenchSupport
import Foundation
import Spectral

/// The workload source with its constants changed: the first number outside string literals
/// gets `k` added; a source without one gets `v<k>` prefixed to its first string literal.
func variant(_ source: String, _ k: Int) -> String {
    if k == 0 { return source }
    let chars = Array(source)
    var quote: Character? = nil, i = 0, firstString: Int? = nil
    while i < chars.count {
        let c = chars[i]
        if let q = quote {
            if c == "\\" { i += 2; continue }
            if c == q { quote = nil }
            i += 1
            continue
        }
        if c == "'" || c == "\"" {
            quote = c
            if firstString == nil { firstString = i + 1 }
            i += 1
            continue
        }
        if c.isNumber, i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "_") {
            var j = i
            while j < chars.count, chars[j].isNumber { j += 1 }
            let value = Int(String(chars[i..<j]))! + k
            return String(chars[..<i]) + String(value) + String(chars[j...])
        }
        i += 1
    }
    guard let s = firstString else { benchFailure("nothing to vary in \(source)") }
    return String(chars[..<s]) + "v\(k)" + String(chars[s...])
}

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
        benchFailure("cannot read /proc/self/statm")
    }
    let fields = text.split(separator: " ")
    return Int(fields[1])! * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func generate(_ path: String, count: Int) {
    let workload = Workload.load()
    var out: [UInt8] = []
    func append32(_ n: Int) { withUnsafeBytes(of: UInt32(n).littleEndian) { out.append(contentsOf: $0) } }
    for i in 0..<count {
        let predicate = workload[i % workload.count]
        let version = i / workload.count + 1
        var varied = predicate
        varied.expr = variant(predicate.expr, i / workload.count)
        let program = varied.compiled()
        if version == 1 {  // the unvaried workload predicate: check it still gives `expected`
            guard program.evaluate(json: predicate.inputJSON).result == .success(predicate.expected) else {
                benchFailure("\(predicate.name): wrong result")
            }
        }
        let key = Array("\(predicate.name)@\(version)".utf8), bytes = program.encoded
        append32(key.count); out += key
        append32(bytes.count); out += bytes
    }
    guard FileManager.default.createFile(atPath: path, contents: Data(out)) else { benchFailure("cannot write \(path)") }
}

func load(_ path: String, runs: Int) {
    guard let data = FileManager.default.contents(atPath: path) else { benchFailure("cannot read \(path)") }
    let file = [UInt8](data)
    var entries: [(key: String, bytes: [UInt8])] = []
    var at = 0
    func read32() -> Int {
        defer { at += 4 }
        return Int(file[at]) | Int(file[at + 1]) << 8 | Int(file[at + 2]) << 16 | Int(file[at + 3]) << 24
    }
    while at < file.count {
        let n = read32(); let key = String(decoding: file[at..<at + n], as: UTF8.self); at += n
        let m = read32(); entries.append((key, Array(file[at..<at + m]))); at += m
    }
    var times: [Double] = []
    var residentPerPredicate = 0.0
    var totalModuleBytes = 0
    for run in 0..<runs {
        var cache: [String: Program] = [:]
        let before = residentBytes()
        let start = now()
        for entry in entries {
            do {
                cache[entry.key] = try Program(bytes: entry.bytes)
            } catch {
                benchFailure("\(entry.key) does not load: \(error)")
            }
        }
        let elapsed = now() - start
        let after = residentBytes()
        guard cache.count == entries.count else { benchFailure("duplicate keys: \(cache.count) of \(entries.count)") }
        times.append(elapsed)
        if run == 0 {
            residentPerPredicate = Double(after - before) / Double(entries.count)
            totalModuleBytes = entries.reduce(0) { $0 + $1.bytes.count }
        }
        withExtendedLifetime(cache) {}
    }
    let median = times.sorted()[times.count / 2]
    let json: [String: Any] = [
        "predicates": entries.count,
        "seconds": median,
        "seconds_runs": times,
        "bytes_per_predicate": residentPerPredicate.rounded(),
        "encoded_bytes_per_predicate": (Double(totalModuleBytes) / Double(entries.count)).rounded(),
    ]
    let text = try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    print(String(decoding: text, as: UTF8.self))
}

let args = CommandLine.arguments
switch args.count > 2 ? args[1] : "" {
case "generate": generate(args[2], count: args.count > 3 ? Int(args[3])! : 10_000)
case "load": load(args[2], runs: args.count > 3 ? Int(args[3])! : 5)
default: benchFailure("usage: SpectralLoad generate FILE [COUNT] | load FILE [RUNS]")
}
