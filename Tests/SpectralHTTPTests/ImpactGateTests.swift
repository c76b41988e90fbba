import Foundation
import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import SpectralWorker
import Testing

/// The impact gate end to end, on both stores: a real worker replays the logged inputs of a
/// predicate through its active version and each new one, and the activation policy holds
/// the versions whose report it refuses; decide keeps answering with the active version.
@Suite struct ImpactGateTests {
    /// 200 logged decisions of `gate`, inputs x = 0 … 199.
    static func log(_ store: any Store) async throws {
        let records = (0..<200).map { x in
            DecisionRecord(id: DecisionID(milliseconds: 1_765_000_000_000 + UInt64(x), randA: 7, randB: 0x8000_0000_0000_0001),
                           predicate: "gate", version: 1, input: #"{"x": \#(x)}"#, outcome: .decided(json: x > 100 ? "true" : "false"),
                           fuel: 4, latencyMicroseconds: 10, caller: nil, generation: 1)
        }
        try await store.append(records)
    }

    /// Posts an authoring request and waits for the worker's verdict (the status's JSON).
    static func verdict(of body: String, client: some TestClientProtocol) async throws -> JSONValue {
        let accepted = try await client.post("/v1/predicates", body)
        let id = try #require(try JSONValue.parse(accepted.body)["event_id"]?.int64Value, "\(accepted.body)")
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let status = try JSONValue.parse(try await client.get("/v1/authoring/\(id)").body)
            if status["status"]?.stringValue != "pending" { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("event \(id) still pending")
        return .null
    }

    @Test(arguments: TestBackend.allCases)
    func theActivationPolicyHoldsWhatTheReplayRefuses(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let worker = OutboxWorker(store: fixture.store, configuration: WorkerConfiguration(pollInterval: .milliseconds(20)),
                                  handlers: [PredicateAuthoredHandler(evidence: fixture.store)], logger: fixture.logger)
        let running = Task { try await worker.run() }
        try await fixture.application().test(.router) { client in
            /// Submits a version of `gate` and waits for the worker's verdict.
            func submit(_ source: String, activation: String? = nil) async throws -> JSONValue {
                let policy = activation.map { #", "activation": \#($0)"# } ?? ""
                return try await Self.verdict(of: #"{"name": "gate", "source": "\#(source)", "declarations": {"x": "int"}\#(policy)}"#, client: client)
            }
            func decide(_ x: Int, version: Int? = nil) async throws -> String {
                let pin = version.map { #", "version": \#($0)"# } ?? ""
                return DecisionIDText.removed(from: try await client.post("/v1/decide", #"{"predicate": "gate", "input": {"x": \#(x)}\#(pin)}"#).body).body
            }
            /// A version the worker activated reaches this API's program cache by notification,
            /// soon after its status reads published: ask until it answers (or 10 s pass).
            func decidesEventually(_ x: Int, _ prefix: String) async throws -> Bool {
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    if try await decide(x).hasPrefix(prefix) { return true }
                    try await Task.sleep(for: .milliseconds(10))
                }
                return false
            }

            // The first version has nothing to compare with: published, active, no report.
            let first = try await submit("x > 100", activation: #""if_unchanged""#)
            #expect(first["status"]?.stringValue == "published")
            try await Self.log(fixture.store)

            // x > 10 decides 90 of the 200 logged inputs (11 … 100) the other way: over 10%, held.
            let looser = try await submit("x > 10", activation: #"{"max_changed_fraction": 0.1}"#)
            #expect(looser["status"]?.stringValue == "held", "\(looser)")
            #expect(looser["held_reason"]?.stringValue == "90 of 200 replayed decisions changed (45.0%), over the max_changed_fraction of 10.0%")
            #expect(looser["impact"]?["replayed"]?.int64Value == 200 && looser["impact"]?["changes"]?["false->true"]?.int64Value == 90)
            #expect(looser["impact"]?["examples"]?["false->true"]?.arrayValue?.count == ImpactReport.maxExamples)
            // Decide keeps answering with the active version; the held one answers when pinned.
            #expect(try await decide(50).hasPrefix(#"{"predicate":"gate","version":1,"decision":false"#))
            #expect(try await decide(50, version: 2).hasPrefix(#"{"predicate":"gate","version":2,"decision":true"#))
            let impact = try JSONValue.parse(try await client.get("/v1/predicates/gate/versions/2/impact").body)
            #expect(impact["active"] == .bool(false) && impact["held_reason"]?.stringValue?.hasPrefix("90 of 200") == true)
            #expect(impact["impact"]?["compared_with"]?.int64Value == 1)

            // An equivalent rewrite over ints changes nothing: activated under if_unchanged.
            let rewrite = try await submit("x >= 101", activation: #""if_unchanged""#)
            #expect(rewrite["status"]?.stringValue == "published", "\(rewrite)")
            let rewriteImpact = try JSONValue.parse(try await client.get("/v1/predicates/gate/versions/3/impact").body)
            #expect(rewriteImpact["active"] == .bool(true) && rewriteImpact["held_reason"] == .null)
            #expect(rewriteImpact["impact"]?["replayed"]?.int64Value == 200 && rewriteImpact["impact"]?["changed"]?.int64Value == 0)
            #expect(try await decidesEventually(150, #"{"predicate":"gate","version":3,"decision":true"#))

            // A version that only loosens is held by forbid: ["false->true"]; one that only
            // tightens is not.
            let loosening = try await submit("x > 50", activation: #"{"forbid": ["false->true"]}"#)
            #expect(loosening["status"]?.stringValue == "held")
            let generatedLoosened = try #require(loosening["impact"]?["generated"]?["changes"]?["false->true"]?.int64Value)
            #expect(loosening["held_reason"]?.stringValue == "activation forbids false->true; found 50 false->true replayed"
                + (generatedLoosened > 0 ? ", \(generatedLoosened) generated" : ""))
            let tightening = try await submit("x > 150", activation: #"{"forbid": ["false->true"]}"#)
            #expect(tightening["status"]?.stringValue == "published", "\(tightening)")
            #expect(tightening["impact"] == nil)
            #expect(try await decidesEventually(120, #"{"predicate":"gate","version":5,"decision":false"#))

            // An admin activates a held version by hand.
            #expect(try await client.post("/v1/predicates/gate/activate", #"{"version": 4}"#).status == .ok)
            #expect(try await decide(60).hasPrefix(#"{"predicate":"gate","version":4,"decision":true"#))

            // Submitting the active version again publishes nothing, and says so.
            let again = try await submit("x > 50")
            #expect(again["status"]?.stringValue == "unchanged" && again["version"]?.int64Value == 4, "\(again)")
            #expect(again["message"]?.stringValue == "identical to the active version gate@4: nothing was published")
            let catalogue = try JSONValue.parse(try await client.get("/v1/predicates/gate").body)
            #expect(catalogue["versions"]?.arrayValue?.count == 5, "\(catalogue)")
        }
        worker.requestShutdown()
        try await running.value
        await fixture.store.close()
    }

    @Test(arguments: TestBackend.allCases)
    func generatedInputsAndFindingsHoldWhatTheLogCannotShow(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let worker = OutboxWorker(store: fixture.store, configuration: WorkerConfiguration(pollInterval: .milliseconds(20)),
                                  handlers: [PredicateAuthoredHandler(evidence: fixture.store)], logger: fixture.logger)
        let running = Task { try await worker.run() }
        try await fixture.application().test(.router) { client in
            func submit(_ name: String, _ source: String, activation: String, declarations: String = #"{"x": "int"}"#,
                        tests: String = "[]") async throws -> JSONValue {
                try await Self.verdict(of: #"{"name": "\#(name)", "source": "\#(source)", "declarations": \#(declarations), "tests": \#(tests), "activation": \#(activation)}"#,
                                       client: client)
            }

            _ = try await submit("gate", "x > 100", activation: #""always""#)
            try await Self.log(fixture.store)
            // Agrees with x > 100 on every logged input (0 … 199), not on x >= 1000.
            let capped = try await submit("gate", "x > 100 && x < 1000", activation: #""if_unchanged""#)
            #expect(capped["status"]?.stringValue == "held", "\(capped)")
            let generated = try #require(capped["impact"]?["generated"])
            let changed = try #require(generated["changed"]?.int64Value)
            #expect(capped["impact"]?["changed"]?.int64Value == 0 && changed > 0 && generated["tried"]?.int64Value == 256)
            #expect(capped["held_reason"]?.stringValue == "activation is if_unchanged, and \(changed) of 256 generated inputs were decided differently")
            let counterexample = try #require(generated["examples"]?["true->false"]?.arrayValue?.first)
            #expect((counterexample["input"]?["x"]?.int64Value ?? 0) >= 1000 && counterexample["decision_id"] == nil)

            // Findings are kept for every version, the first included, and shown with its report;
            // hold_on_findings holds a version that has any.
            let constant = try await submit("always_yes", "x > 10 || true", activation: #"{"hold_on_findings": true}"#,
                                            declarations: #"{"x": "int", "y": "string"}"#, tests: #"[{"input": {"x": 1, "y": "a"}, "expect": true}]"#)
            #expect(constant["status"]?.stringValue == "held", "\(constant)")
            #expect(constant["findings"]?["findings"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["unread_input", "constant_decision"])
            let stored = try await fixture.store.predicate("always_yes", version: 1)
            #expect(stored?.isActive == false && stored?.findings?.findings.count == 2)
            let impact = try JSONValue.parse(try await client.get("/v1/predicates/always_yes/versions/1/impact").body)
            #expect(impact["findings"] == stored?.findings?.jsonValue && impact["impact"] == .null)

            // The boundary table of a version, the active one beside it.
            let offByOne = try await submit("gate", "x >= 100", activation: #""always""#, tests: #"[{"input": {"x": 150}, "expect": true}]"#)
            #expect(offByOne["status"]?.stringValue == "published", "\(offByOne)")
            let table = try #require(try await fixture.store.predicate("gate", version: 3)?.findings?.boundaries.rows.first)
            #expect(table.clause == "x >= 100" && table.points.map(\.outcome) == [false, true, true].map { .decided(.bool($0)) })
            // The active x > 100 at 99, 100, 101: the new version differs at 100 alone.
            #expect(table.points.map(\.activeOutcome) == [false, false, true].map { .decided(.bool($0)) })
        }
        worker.requestShutdown()
        try await running.value
        await fixture.store.close()
    }
}
