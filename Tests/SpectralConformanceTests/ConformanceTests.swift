import Foundation
import SpectralConformance
import Testing

/// Runs CEL's official conformance suite (a copy in Fixtures/conformance) and holds the
/// engine to its target: at least 98% of all tests without the `proto` tag pass, scored
/// strictly (a skip, a parse or a check error is a failure). Protobuf messages are the one
/// part of CEL this engine leaves out.
@Suite struct ConformanceTests {
    static let fixture: [UInt8] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent("Fixtures/conformance/cel-spec-visible.json")
        return (try? [UInt8](Data(contentsOf: url))) ?? []
    }()

    @Test func fixtureIsPresent() {
        #expect(Self.fixture.count > 100_000)
    }

    @Test func passesAtLeast98PercentOfNonProtoTests() throws {
        let summary = try ConformanceRunner(unsupported: ["proto"]).run(fileBytes: Self.fixture)
        let failures = summary.outcomes.compactMap { outcome -> String? in
            if case .failed(let why) = outcome.verdict { return "\(outcome.id): \(why)" }
            return nil
        }
        print("conformance: \(summary.line)")
        for failure in failures.prefix(50) { print("  FAIL \(failure)") }
        let scored = summary.passed + summary.failed
        #expect(scored == 1294, "the fixture holds 1,294 tests without the proto tag")
        let rate = Double(summary.passed) / Double(max(scored, 1))
        #expect(rate >= 0.98, "pass rate \(rate) below 98%: \(summary.line)")
    }

    /// Optionals, two-variable comprehensions and the bindings, block, encoders and network
    /// extensions pass in full.
    @Test func extensionFilesPassCompletely() throws {
        let summary = try ConformanceRunner(unsupported: ["proto"]).run(fileBytes: Self.fixture)
        let files = ["optionals/", "macros2/", "bindings_ext/", "block_ext/", "encoders_ext/", "network_ext/"]
        let outcomes = summary.outcomes.filter { outcome in files.contains { outcome.id.hasPrefix($0) } }
        let passed = outcomes.filter { $0.verdict == .passed }.count
        // Only `proto`-tagged tests of these files (messages inside optionals) are skipped.
        for outcome in outcomes {
            if case .failed(let why) = outcome.verdict { Issue.record("\(outcome.id): \(why)") }
        }
        #expect(passed >= 140, "only \(passed) extension tests passed")
    }

    /// Explained programs (each clause traced) pass exactly the tests plain programs pass,
    /// with the root clause holding each result: tracing changes no decision.
    @Test func explainedProgramsPassTheSameTests() throws {
        let plain = try ConformanceRunner(unsupported: ["proto"]).run(fileBytes: Self.fixture)
        let explained = try ConformanceRunner(unsupported: ["proto"], explaining: true).run(fileBytes: Self.fixture)
        #expect(explained.outcomes.count == plain.outcomes.count)
        for (a, b) in zip(plain.outcomes, explained.outcomes) where a.verdict != b.verdict {
            Issue.record("\(a.id): \(a.verdict) plain, \(b.verdict) explained")
        }
        #expect(explained.passed == plain.passed)
    }

    /// The static cost bound is an upper bound: no test's evaluation uses more fuel than its
    /// program's bound, wherever the bound is known. It is unknown where a loop runs over
    /// input of no declared size (conformance inputs declare none), where a string's size
    /// is unknown to a function priced by it, and where a size-charged instruction is not
    /// priced at all (`CostTable.chargesBeyondPrice`, `OperationWorkBound`, `CallWorkBound`).
    @Test func noEvaluationUsesMoreFuelThanItsStaticBound() throws {
        let summary = try ConformanceRunner(unsupported: ["proto"]).run(fileBytes: Self.fixture)
        let bounded = summary.outcomes.compactMap { outcome in outcome.cost.map { (id: outcome.id, cost: $0) } }
            .filter { $0.cost.bound != .max }
        // 1,149 of 1,281 when every operator, aggregate and library function but `format`
        // was priced; the rest are unchecked programs, `format`, and a few sizes unknown.
        #expect(bounded.count >= 1_140, "only \(bounded.count) tests have a known bound")
        #expect(bounded.contains { $0.cost.used > 10 }, "some evaluation does real work")
        for over in bounded where over.cost.used > over.cost.bound {
            Issue.record("\(over.id) used \(over.cost.used) fuel, over its static bound \(over.cost.bound)")
        }
    }

    /// Skips are only for the listed unsupported tags: no test is skipped for another reason.
    @Test func skipsOnlyUnsupportedTags() throws {
        let summary = try ConformanceRunner().run(fileBytes: Self.fixture)
        for outcome in summary.outcomes where outcome.verdict == .skipped {
            #expect(outcome.tags.contains(where: ConformanceRunner.unsupportedTags.contains), "\(outcome.id)")
        }
    }
}
