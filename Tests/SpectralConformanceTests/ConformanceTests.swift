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

    /// The static cost bound should be an upper bound: no test's evaluation using more fuel
    /// than its program's bound, wherever the bound is known (loops over input of no
    /// declared size leave it unknown, and conformance inputs declare none).
    ///
    /// It is not, today, and this test says so rather than hide it: the run-time charge for
    /// size-dependent work (`Heap.charge` adds a unit per 16 bytes of every allocation, and
    /// equality, `in` and many library functions charge per element or byte) has no
    /// static counterpart outside the string functions `StringWorkBound` prices. A simple
    /// `1 == 1u` uses 5 fuel against a bound of 4; `[] + [] == []` 38 against 4. When the
    /// bound covers that work, the known issue stops being recorded and this test fails:
    /// then drop `withKnownIssue`.
    @Test func noEvaluationUsesMoreFuelThanItsStaticBound() throws {
        let summary = try ConformanceRunner(unsupported: ["proto"]).run(fileBytes: Self.fixture)
        let bounded = summary.outcomes.compactMap { outcome in outcome.cost.map { (id: outcome.id, cost: $0) } }
            .filter { $0.cost.bound != .max }
        #expect(bounded.count > 800, "only \(bounded.count) tests have a known bound")
        #expect(bounded.contains { $0.cost.used > 10 }, "some evaluation does real work")
        let over = bounded.filter { $0.cost.used > $0.cost.bound }
        print("static bounds: \(bounded.count) tests bounded, \(over.count) used more fuel than the bound")
        withKnownIssue("the static bound omits size-dependent work (allocation, equality, library functions)") {
            if let first = over.first {
                Issue.record("\(over.count) of \(bounded.count) bounded tests used more fuel than the bound; first \(first.id): \(first.cost.used) > \(first.cost.bound)")
            }
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
