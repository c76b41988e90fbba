import ArgumentParser
import Spectral
import SpectralConformance

struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run CEL conformance tests from a JSON file; print each failure and a summary."
    )

    @Argument(help: "A conformance file (see Fixtures/conformance/README.md).") var file: String
    @Option(help: "Comma-separated feature tags to skip instead of the default unsupported set.") var skip: String?
    @Flag(help: "Also list skipped tests.") var showSkipped = false
    @Flag(help: "Also list each test that used more fuel than its program's static cost bound (OVER) or whose bound is unknown (UNBOUNDED), and count them.")
    var showBounds = false

    func run() throws {
        let bytes: [UInt8]
        do { bytes = try readFile(file) } catch {
            printError("error: \(error)")
            throw ExitCodes.compileError
        }
        let unsupported = skip.map { Set($0.split(separator: ",").map(String.init)) } ?? ConformanceRunner.unsupportedTags
        let summary = try ConformanceRunner(unsupported: unsupported).run(fileBytes: bytes)
        for outcome in summary.outcomes {
            switch outcome.verdict {
            case .failed(let why): print("FAIL \(outcome.id): \(why.replacingNewlines)")
            case .skipped where showSkipped: print("SKIP \(outcome.id) [\(outcome.tags.joined(separator: ","))]")
            default: break
            }
            if showBounds, let cost = outcome.cost {
                if cost.bound == .max { print("UNBOUNDED \(outcome.id)") }
                else if cost.used > cost.bound { print("OVER \(outcome.id): used \(cost.used), bound \(cost.bound)") }
            }
        }
        if showBounds {
            let costs = summary.outcomes.compactMap(\.cost)
            let bounded = costs.filter { $0.bound != .max }
            print("static bounds: \(bounded.count) of \(costs.count) evaluations bounded, \(bounded.filter { $0.used > $0.bound }.count) over their bound")
        }
        print(summary.line)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

extension String {
    var replacingNewlines: String { split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " | ") }
}
