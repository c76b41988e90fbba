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
            #expect(active.body == #"{"predicate":"adult","version":2,"decision":false,"fuel_used":5}"#)
            let pinned = try await client.post("/v1/decide", #"{"input": {"user": {"age": 19}}, "version": 1, "predicate": "adult"}"#)
            #expect(pinned.body == #"{"predicate":"adult","version":1,"decision":true,"fuel_used":5}"#)
            // Rolling back through the API changes the active version the next decision uses.
            #expect(try await client.post("/v1/predicates/adult/rollback", "").status == .ok)
            #expect(try await client.post("/v1/decide", #"{"predicate": "adult", "input": {"user": {"age": 19}}}"#).body
                .contains(#""version":1,"decision":true"#))
        }
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
