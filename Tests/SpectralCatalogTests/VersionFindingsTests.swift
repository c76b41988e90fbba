import Foundation
import Spectral
import SpectralCatalog
import SpectralJSON
import SpectralSampling
import Testing

/// What the worker finds by trying a version (degenerate decisions, the boundary table),
/// the comparison on generated inputs, and the policies that read them. Pure: programs
/// compiled here.
@Suite struct VersionFindingsTests {
    static func explainer(_ source: String, _ declarations: [String: String]) throws -> Explainer {
        var environment = try Environment(declaring: declarations, limits: Limits())
        environment.declarations.resultType = .bool
        return try Explainer.compile(source, in: environment)
    }

    static func findings(_ source: String, _ declarations: [String: String], examples: [String], active: String? = nil) throws -> VersionFindings {
        let declared = try declarations.mapValues { try InputDeclaration.parse($0) }
        let activeProgram = try active.map { try explainer($0, declarations).program }
        return try VersionFindings(explainer: explainer(source, declarations), declarations: declared,
                                   examples: examples.map { try JSONValue.parse($0) }, active: activeProgram)
    }

    @Test func anHonestPredicateHasNoFindings() throws {
        let found = try Self.findings("age >= 18 && country == 'US'", ["age": "int", "country": "string"],
                                      examples: [#"{"age": 30, "country": "US"}"#, #"{"age": 12, "country": "US"}"#, #"{"age": 40, "country": "FR"}"#])
        #expect(found.findings.isEmpty, "\(found.findings)")
        #expect(found.inputsTried == 3 + 256)
    }

    @Test func aConstantAnUnreadAndAnInertInputAreFound() throws {
        let constant = try Self.findings("x > 10 || true", ["x": "int", "unused": "string"], examples: [#"{"x": 1, "unused": "a"}"#])
        #expect(constant.findings.map(\.kind) == [.unreadInput, .constantDecision])
        #expect(constant.findings[0].input == "unused" && constant.findings[0].message == "the declared input `unused` is never read")
        #expect(constant.findings[1].message.hasPrefix("the decision is true for every one of the "))

        // `y == y` reads y, but no value of y can change the outcome.
        let inert = try Self.findings("x > 10 && y == y", ["x": "int", "y": "int"], examples: [#"{"x": 20, "y": 1}"#, #"{"x": 2, "y": 5}"#])
        #expect(inert.findings.map(\.kind) == [.inertInput] && inert.findings.first?.input == "y", "\(inert.findings)")
        #expect(inert.findings.first?.message == "`y` is read, but no change to it alone changed an outcome in the inputs tried")
    }

    @Test func theBoundaryTableShowsAnOffByOneAtAGlance() throws {
        // The new version says `>` where the active one said `>=`: only the point at 18 differs.
        let found = try Self.findings("age > 18 && 1000.0 < amount", ["age": "int", "amount": "double"],
                                      examples: [#"{"age": 30, "amount": 5000.0}"#], active: "age >= 18 && 1000.0 < amount")
        #expect(found.boundaries.rows.map(\.clause) == ["age > 18", "1000.0 < amount"])
        let age = try #require(found.boundaries.rows.first)
        #expect(age.input == "/age" && age.constant == .number(JSONNumber(Int64(18))) && age.base == "example 1")
        #expect(age.points.map(\.value) == [17, 18, 19].map { .number(JSONNumber(Int64($0))) })
        #expect(age.points.map(\.outcome) == [false, false, true].map { .decided(.bool($0)) })
        #expect(age.points.map(\.activeOutcome) == [false, true, true].map { .decided(.bool($0)) })
        let amount = found.boundaries.rows[1]
        #expect(amount.points.map(\.value.doubleValue) == [Double(1000).nextDown, 1000, Double(1000).nextUp])
        #expect(amount.points.map(\.outcome) == [false, false, true].map { .decided(.bool($0)) })

        let text = found.jsonValue.serialized()
        #expect(text.contains(#"{"clause":"age > 18","input":"/age","constant":18,"base":"example 1","points":[{"at":"below","value":17,"outcome":{"decision":false},"active_outcome":{"decision":false}}"#), "\(text)")
        #expect(VersionFindings(jsonText: text) == found)
        #expect(VersionFindings(jsonText: #"{"inputs_tried": 1}"#) == nil)
    }

    @Test func comparisonsWithoutAnInputOrANumberAreNotTabled() throws {
        let found = try Self.findings("size(name) > 3 && name != 'x' && tags.exists(t, t > 5)", ["name": "string", "tags": "list(int)"],
                                      examples: [#"{"name": "alice", "tags": [1, 9]}"#])
        #expect(found.boundaries.rows.isEmpty, "\(found.boundaries.rows.map(\.clause))")
    }

    @Test func generatedInputsFindWhatTheLogCannot() throws {
        let environment = Environment(variables: ["x": .int])
        let replay = try ImpactReplay(active: compile("x > 100", in: environment), activeVersion: 1,
                                      candidate: compile("x > 100 && x < 1000", in: environment))
        // The log only holds x = 0 … 199: both versions agree on all of it.
        let logged = ImpactReplayTests.records(Array(0..<200))
        #expect(replay.report(replaying: logged).changed == 0)
        var generator = SampleInputGenerator(declarations: ["x": CELType.int], examples: [try JSONValue.parse(#"{"x": 150}"#)])
        let generated = replay.compare(generated: generator.samples(count: 256))
        #expect(generated.tried == 256 && generated.changes.keys.sorted() == [.trueToFalse] && generated.changed > 0)
        let examples = try #require(generated.examples[.trueToFalse])
        #expect(examples.allSatisfy { (try? JSONValue.parse($0.input))?["x"]?.int64Value.map { $0 >= 1000 } == true && $0.decisionID == nil })

        var report = replay.report(replaying: logged)
        report.generated = generated
        #expect(ActivationPolicy.ifUnchanged.holdReason(for: report)
            == "activation is if_unchanged, and \(generated.changed) of 256 generated inputs were decided differently")
        #expect(ActivationPolicy.limits(maxChangedFraction: 0, forbid: []).holdReason(for: report) == nil)
        #expect(ActivationPolicy.limits(maxChangedFraction: nil, forbid: [.trueToFalse]).holdReason(for: report)
            == "activation forbids true->false; found 0 true->false replayed, \(generated.changed) generated")
        #expect(ImpactReport(jsonText: report.jsonValue.serialized()) == report)
    }

    @Test func holdOnFindingsHoldsAVersionWithAny() throws {
        let policy = try ActivationPolicy(json: JSONValue.parse(#"{"hold_on_findings": true}"#))
        #expect(policy == .limits(maxChangedFraction: nil, forbid: [], holdOnFindings: true))
        #expect(try ActivationPolicy(json: policy.jsonValue) == policy)
        #expect(throws: PredicateDefinitionError.self) { try ActivationPolicy(json: JSONValue.parse(#"{"hold_on_findings": "yes"}"#)) }

        let constant = try Self.findings("x > 10 || true", ["x": "int"], examples: [#"{"x": 1}"#])
        let honest = try Self.findings("x > 10", ["x": "int"], examples: [#"{"x": 1}"#, #"{"x": 11}"#])
        // No report (a first version): the findings alone decide.
        #expect(policy.holdReason(for: nil, findings: constant)?.hasPrefix("activation holds on findings, and there are 1: the decision is true") == true)
        #expect(policy.holdReason(for: nil, findings: honest) == nil)
        #expect(ActivationPolicy.always.holdReason(for: nil, findings: constant) == nil)
    }
}
