import Foundation
import Spectral
import SpectralCatalog
import SpectralJSON
import Testing

/// Replaying logged inputs through two versions, and the activation policies that read
/// the report. Pure: programs compiled here, records made here.
@Suite struct ImpactReplayTests {
    static func program(_ source: String) throws -> Program {
        try compile(source, in: Environment(variables: ["x": .int]))
    }

    /// One record per x, newest first, ids in time order.
    static func records(_ xs: [Int]) -> [DecisionRecord] {
        xs.enumerated().map { index, x in
            DecisionRecord(id: DecisionID(milliseconds: 1_765_000_000_000 + UInt64(xs.count - index), randA: 0, randB: 0x8000_0000_0000_0000),
                           predicate: "p", version: 1, input: #"{"x": \#(x)}"#, outcome: .decided(json: "true"),
                           fuel: 1, latencyMicroseconds: 1, caller: nil, generation: 1)
        }
    }

    static func replay(_ active: String, _ candidate: String, over xs: [Int]) throws -> ImpactReport {
        try ImpactReplay(active: program(active), activeVersion: 1, candidate: program(candidate)).report(replaying: records(xs))
    }

    @Test func anEquivalentRewriteChangesNothing() throws {
        let report = try Self.replay("x > 10", "x >= 11", over: Array(-50..<150))
        #expect(report.replayed == 200 && report.unchanged == 200 && report.changed == 0)
        #expect(report.examples.isEmpty)
        #expect(ActivationPolicy.ifUnchanged.holdReason(for: report) == nil)
        #expect(report.activeFuel == report.candidateFuel)
    }

    /// 90 of 200 decisions flip from false to true: counted by direction, 20 examples kept,
    /// and every policy that should hold it does.
    @Test func aLooserVersionIsCountedByDirection() throws {
        let report = try Self.replay("x > 100", "x > 10", over: Array(0..<200))
        #expect(report.replayed == 200 && report.changed == 90 && report.changes == [.falseToTrue: 90])
        #expect(report.changedFraction == 0.45)
        let examples = try #require(report.examples[.falseToTrue])
        #expect(examples.count == ImpactReport.maxExamples)
        #expect(examples.first?.before == .decided(.bool(false)) && examples.first?.after == .decided(.bool(true)))
        #expect(examples.first?.input == #"{"x": 11}"#)

        let tenPercent = ActivationPolicy.limits(maxChangedFraction: 0.1, forbid: [])
        #expect(tenPercent.holdReason(for: report) == "90 of 200 replayed decisions changed (45.0%), over the max_changed_fraction of 10.0%")
        #expect(ActivationPolicy.limits(maxChangedFraction: 0.5, forbid: []).holdReason(for: report) == nil)
        #expect(ActivationPolicy.limits(maxChangedFraction: nil, forbid: [.falseToTrue]).holdReason(for: report)
            == "activation forbids false->true; found 90 false->true replayed")
        #expect(ActivationPolicy.limits(maxChangedFraction: nil, forbid: [.trueToFalse]).holdReason(for: report) == nil)
        #expect(ActivationPolicy.always.holdReason(for: report) == nil)
    }

    @Test func errorsAndOtherValuesAreChangesOfTheirOwn() throws {
        let active = try compile("x > 0 ? 1 : 2", in: Environment(variables: ["x": .int]))
        let candidate = try compile("x > 5 ? 1 : 10 / (x - 2)", in: Environment(variables: ["x": .int]))
        // x = 2: 1 → division by zero; x = 3: 1 → 10; x = 0: 2 → -5; x = 9: 1 → 1.
        let report = ImpactReplay(active: active, activeVersion: 4, candidate: candidate).report(replaying: Self.records([2, 3, 0, 9]))
        #expect(report.comparedWith == 4)
        #expect(report.changes == [.valueToError: 1, .valueToOther: 2])
        #expect(report.unchanged == 1)
        #expect(report.examples[.valueToError]?.first?.after == .failed(code: "evaluation_error"))
    }

    @Test func theReportRoundTripsThroughItsJSON() throws {
        let report = try Self.replay("x > 100", "x > 10", over: Array(0..<30))
        let text = report.jsonValue.serialized()
        #expect(text.hasPrefix(#"{"compared_with":1,"replayed":30,"unchanged":11,"changed":19,"#))
        #expect(text.contains(#""changes":{"true->false":0,"false->true":19,"value->error":0,"error->value":0,"value->other":0}"#))
        let read = try #require(ImpactReport(jsonText: text))
        #expect(read.jsonValue == report.jsonValue)
        #expect(ImpactReport(jsonText: #"{"replayed": 1}"#) == nil)
    }

    @Test func policiesParseAndRefuseWhatTheyCannotMean() throws {
        #expect(try ActivationPolicy(json: .null) == .always)
        #expect(try ActivationPolicy(json: .string("if_unchanged")) == .ifUnchanged)
        let limits = try ActivationPolicy(json: JSONValue.parse(#"{"max_changed_fraction": 0.02, "forbid": ["false->true", "value->error", "false->true"]}"#))
        #expect(limits == .limits(maxChangedFraction: 0.02, forbid: [.falseToTrue, .valueToError]))
        #expect(try ActivationPolicy(json: limits.jsonValue) == limits)
        let refused: [(String, String)] = [
            (#""sometimes""#, #""activation" must be "always", "if_unchanged""#),
            (#"{"max_changed_fraction": 1.5}"#, "must be a number from 0 to 1"),
            (#"{"forbid": ["true->maybe"]}"#, #"holds "true->maybe", not one of true->false"#),
            (#"{"forbid": "false->true"}"#, "must be a list of changes"),
            (#"{"max_changed_fractoin": 0.1}"#, "unknown field 'max_changed_fractoin' in \"activation\"; did you mean 'max_changed_fraction'?"),
        ]
        for (text, message) in refused {
            #expect(throws: PredicateDefinitionError.self, "\(text)") { try ActivationPolicy(json: JSONValue.parse(text)) }
            do { _ = try ActivationPolicy(json: JSONValue.parse(text)) } catch let error as PredicateDefinitionError {
                #expect(error.message.contains(message), "\(text): \(error.message)")
            }
        }
    }

    @Test func declarationChangesAreSaidInWords() {
        let active = PredicateVersion(name: "p", version: 3, source: "x > 1", declarations: ["x": "int", "z": #"{"type":"string"}"#],
                                      bytecode: [], costBound: nil, tests: [], author: "", description: "", generation: 1, eventID: 1,
                                      createdAt: Date(), isActive: true)
        let request = PredicateDefinition(name: "p", source: "x > 1.0", declarations: ["x": "double", "y": "string"], returns: "double")
        #expect(DeclarationChanges.between(active, request) == [
            "'x' changed: int -> double", "added 'y': string", "removed 'z' (was a JSON Schema)", "returns changed: bool -> double",
        ])
        #expect(DeclarationChanges.between(active, PredicateDefinition(name: "p", source: "x > 2", declarations: active.declarations)).isEmpty)
    }
}
