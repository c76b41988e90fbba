import Hummingbird
import HummingbirdTesting
import Spectral
import SpectralHTTP
import SpectralTestSupport
import Testing

/// `POST /v1/decide` and `/v1/decide/batch`, driven without sockets.
@Suite struct DecideTests {
    @Test(arguments: TestBackend.allCases)
    func decidesWithTheActiveOrANamedVersion(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("adult", "user.age >= 18", declarations: ["user": "map(string, dyn)"])
        try await fixture.publish("adult", "user.age >= 21", declarations: ["user": "map(string, dyn)"])
        try await fixture.application().test(.router) { client in
            let active = try await client.post("/v1/decide", #"{"predicate": "adult", "input": {"user": {"age": 19}}}"#)
            #expect(active.status == .ok)
            #expect(DecisionIDText.removed(from: active.body).body == #"{"predicate":"adult","version":2,"decision":false,"fuel_used":5}"#)
            let pinned = try await client.post("/v1/decide", #"{"input": {"user": {"age": 19}}, "version": 1, "predicate": "adult"}"#)
            #expect(DecisionIDText.removed(from: pinned.body).body == #"{"predicate":"adult","version":1,"decision":true,"fuel_used":5}"#)
            // Rolling back through the API changes the active version the next decision uses.
            #expect(try await client.post("/v1/predicates/adult/rollback", "").status == .ok)
            #expect(try await client.post("/v1/decide", #"{"predicate": "adult", "input": {"user": {"age": 19}}}"#).body
                .contains(#""version":1,"decision":true"#))
        }
        await fixture.store.close()
    }

    /// Every decision, alone or in a batch, answered or failed in its place, has an id of its
    /// own: a UUIDv7, last in its object, later ids sorting after earlier ones; two servers
    /// (two processes' generators) on one store never hand out the same one.
    @Test(arguments: TestBackend.allCases)
    func everyDecisionCarriesItsOwnTimeOrderedID(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        try await fixture.publish("big", "amount > 100.0", declarations: ["amount": "double"])
        let single = #"{"predicate": "big", "input": {"amount": 250}}"#
        let batch = #"{"predicate": "big", "inputs": [{"amount": 250}, {"amount": 5.5}, {"amount": "x"}, {}]}"#
        var ids: [String] = []
        for _ in 0..<2 {
            ids += try await fixture.application().test(.router) { client in
                var ids: [String] = []
                for _ in 0..<3 {
                    let decided = try await client.post("/v1/decide", single)
                    #expect(decided.status == .ok)
                    let (rest, id) = DecisionIDText.removed(from: decided.body)
                    #expect(rest == #"{"predicate":"big","version":1,"decision":true,"fuel_used":4}"#)
                    ids.append(try #require(id))
                }
                let batched = try await client.post("/v1/decide/batch", batch)
                let results = try #require(try JSONValue.parse(batched.body)["results"]?.arrayValue)
                let batchIDs = results.compactMap { $0["decision_id"]?.stringValue }
                #expect(batchIDs.count == 4 && DecisionIDText.all(in: batched.body) == batchIDs, "\(batched.body)")
                return ids + batchIDs
            }
        }
        #expect(ids.count == 14 && ids.allSatisfy(DecisionIDText.isUUIDv7), "\(ids)")
        #expect(Set(ids).count == ids.count)
        // Each server's ids increase as they are made: the 7 of each run, in order.
        #expect(ids[0..<7].sorted() == Array(ids[0..<7]) && ids[7...].sorted() == Array(ids[7...]))
        await fixture.store.close()
    }

    @Test func batchAnswersEachInputInItsPlace() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("big", "amount > 100.0", declarations: ["amount": "double"])
        try await fixture.application().test(.router) { client in
            let response = try await client.post("/v1/decide/batch", #"{"predicate": "big", "inputs": [{"amount": 250}, {"amount": 5.5}, {"amount": "x"}, {}]}"#)
            #expect(response.status == .ok)
            let results = try #require(try JSONValue.parse(response.body)["results"]?.arrayValue)
            #expect(results.count == 4)
            #expect(results[0]["decision"] == .bool(true) && results[1]["decision"] == .bool(false))
            #expect(results[2]["error"]?["code"]?.stringValue == "invalid_input")
            #expect(results[3]["error"]?["code"]?.stringValue == "evaluation_error")
        }
        await fixture.store.close()
    }

    @Test func everyBadRequestGetsItsOwn4xx() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("adult", "user.age >= 18", declarations: ["user": "map(string, dyn)"])
        try await fixture.publish("spin", "[1, 2, 3, 4, 5, 6, 7, 8].all(x, [1, 2, 3, 4, 5, 6, 7, 8].all(y, x * y > 0))")
        let configuration = ServerConfiguration(port: 0, maxBodyBytes: 4096, maxJSONDepth: 16, limits: Limits(fuel: 100), authentication: .off)
        try await fixture.application(configuration).test(.router) { client in
            let cases: [(String, String, HTTPResponse.Status, String)] = [
                ("/v1/decide", #"{"predicate": "adult", "input": "#, .badRequest, "malformed_request"),
                ("/v1/decide", #"[1, 2]"#, .badRequest, "malformed_request"),
                ("/v1/decide", #"{"input": {}}"#, .badRequest, "malformed_request"),
                ("/v1/decide", #"{"predicate": 7}"#, .badRequest, "malformed_request"),
                ("/v1/decide", #"{"predicate": "adult", "version": -1}"#, .badRequest, "malformed_request"),
                ("/v1/decide", #"{"predicate": "adult", "input": [1]}"#, .badRequest, "malformed_request"),
                ("/v1/decide", #"{"predicate": "adult", "input": {"user": "#  + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}}",
                 .badRequest, "malformed_request"),
                ("/v1/decide", #"{"predicate": "adult", "input": {"s": ""# + String(repeating: "x", count: 5000) + #""}}"#,
                 .contentTooLarge, "body_too_large"),
                ("/v1/decide", #"{"predicate": "nope", "input": {}}"#, .notFound, "not_found"),
                ("/v1/decide", #"{"predicate": "adult", "version": 9, "input": {}}"#, .notFound, "not_found"),
                ("/v1/decide", #"{"predicate": "adult", "input": {"user": 3}}"#, .unprocessableContent, "invalid_input"),
                ("/v1/decide", #"{"predicate": "adult", "input": {"user": {}}}"#, .unprocessableContent, "evaluation_error"),
                ("/v1/decide", #"{"predicate": "spin", "input": {}}"#, .unprocessableContent, "fuel_exhausted"),
                ("/v1/nowhere", "{}", .notFound, "not_found"),
            ]
            for (uri, body, status, code) in cases {
                let response = try await client.post(uri, body)
                #expect(response.status == status, "\(body.prefix(60)): \(response.body)")
                #expect(errorCode(response.body) == code, "\(body.prefix(60)): \(response.body)")
            }
            // And the server still answers.
            #expect(try await client.post("/v1/decide", #"{"predicate": "adult", "input": {"user": {"age": 40}}}"#).status == .ok)
        }
        await fixture.store.close()
    }
}
