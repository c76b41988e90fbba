import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import Testing

/// What a newcomer gets wrong first, answered with what to do instead.
@Suite struct RequestValidationTests {
    @Test func misspeltAndMisplacedFieldsAreNamed() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("adult", "user.age >= 18", declarations: ["user": "map(string, dyn)"])
        try await fixture.application().test(.router) { client in
            let typo = try await client.post("/v1/decide", #"{"predicate": "adult", "imput": {"user": {"age": 30}}}"#)
            #expect(typo.status == .badRequest)
            #expect(typo.body == #"{"error":{"code":"unknown_field","message":"unknown field 'imput' in a decide request; did you mean 'input'? (fields: predicate, version, input, explain)"}}"#)
            let plural = try await client.post("/v1/decide", #"{"predicate": "adult", "inputs": [{}]}"#)
            #expect(plural.body == #"{"error":{"code":"unknown_field","message":"unknown field 'inputs' in a decide request; a decide request has one 'input'; many inputs go to /v1/decide/batch (fields: predicate, version, input, explain)"}}"#)
            let singular = try await client.post("/v1/decide/batch", #"{"predicate": "adult", "input": {}}"#)
            #expect(singular.body == #"{"error":{"code":"unknown_field","message":"unknown field 'input' in a batch decide request; a batch has \"inputs\", an array; one input goes to /v1/decide (fields: predicate, version, inputs)"}}"#)
            let intake = try await client.post("/v1/predicates", #"{"name": "x", "source": "true", "tsets": []}"#)
            #expect(intake.body == #"{"error":{"code":"invalid_predicate_request","message":"unknown field 'tsets' in the predicate; did you mean 'tests'? (fields: name, source, declarations, tests, description, author, activate, returns, activation, mask, log_sample)"}}"#)
            // A version may be written 1.0 (JSON Schema's integer); beyond Int32 it is refused by name.
            #expect(try await client.post("/v1/decide", #"{"predicate": "adult", "version": 1.0, "input": {"user": {"age": 30}}}"#).status == .ok)
            let huge = try await client.post("/v1/decide", #"{"predicate": "adult", "version": 8221708408}"#)
            #expect(huge.body == #"{"error":{"code":"malformed_request","message":"\"version\" must be an integer from 1 to 2147483647"}}"#)
            // A declared input the request leaves out is named as missing from the input.
            let missing = try await client.post("/v1/decide", #"{"predicate": "adult", "input": {"customer": {"age": 30}}}"#)
            #expect(errorOnly(missing.body) == #"{"error":{"code":"evaluation_error","message":"adult@1: no such attribute: the input has no 'user'"}}"#)
            // A runtime error says where in the source it arose (not the source's text: a
            // `decide` caller may not read it).
            let noKey = try await client.post("/v1/decide", #"{"predicate": "adult", "input": {"user": {"name": "x"}}}"#)
            #expect(errorOnly(noKey.body) == #"{"error":{"code":"evaluation_error","message":"adult@1: no such key: age (at 1:1)"}}"#)
            #expect(DecisionIDText.removed(from: noKey.body).id.map(DecisionIDText.isUUIDv7) == true, "a failed decision has its id: \(noKey.body)")
            #expect(DecisionIDText.removed(from: huge.body).id == nil, "a request that never became a decision has none")
            let activation = try await client.post("/v1/predicates/adult/activate", #"{"version": 1, "force": true}"#)
            #expect(activation.status == .badRequest && errorCode(activation.body) == "unknown_field")
        }
        await fixture.store.close()
    }

    /// The intake refuses at once what the worker could only reject later.
    @Test func intakeRefusesWhatCannotBePublished() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.application().test(.router) { client in
            let broken = try await client.post("/v1/predicates", #"{"name": "adult", "source": "user.age >=", "declarations": {"user": "map(string, dyn)"}}"#)
            #expect(broken.status == .unprocessableContent)
            let error = try JSONValue.parse(broken.body)["error"]
            #expect(error?["code"] == "invalid_predicate")
            #expect(error?["message"] == "'adult' cannot be published: parse error at 1:12: unexpected end of input")
            let diagnostic = error?["details"]?["diagnostics"]?[0]
            #expect(diagnostic?["stage"] == "parse" && diagnostic?["line"] == 1 && diagnostic?["column"] == 12)
            // Nothing reached the outbox.
            #expect(try await fixture.store.backlog(generation: 1).pending == 0)
            let undeclared = try await client.post("/v1/predicates", #"{"name": "adult", "source": "customer.age >= 18"}"#)
            #expect(undeclared.status == .unprocessableContent)
            #expect(undeclared.body.contains("undeclared reference to 'customer'"))
        }
        await fixture.store.close()
    }

    @Test func validateAnswersAtOnceAndPublishesNothing() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.application().test(.router) { client in
            let good = try await client.post("/v1/validate", #"""
                {"name": "adult", "source": "age >= 18", "declarations": {"age": "int"},
                 "tests": [{"input": {"age": 20}, "expect": true}, {"input": {"age": 10}, "expect": false}]}
                """#)
            #expect(good.status == .ok)
            #expect(good.body == #"{"valid":true,"cost_bound":4,"diagnostics":[]}"#)
            let failing = try await client.post("/v1/validate", #"""
                {"name": "adult", "source": "age >= 18", "declarations": {"age": "int"}, "tests": [{"input": {"age": 10}, "expect": true}]}
                """#)
            #expect(failing.body == #"{"valid":false,"diagnostics":[{"stage":"test","message":"test 1: expected true, got false"}]}"#)
            #expect(try await fixture.store.backlog(generation: 1).pending == 0)
            #expect(try await client.get("/v1/predicates").body == #"{"predicates":[]}"#)
        }
        try await fixture.publish("adult", "true")
        try await fixture.application().test(.router) { client in
            let listed = try await client.get("/v1/predicates").body
            #expect(listed == #"{"predicates":[{"name":"adult","versions":[1],"active_version":1,"latest_version":1}]}"#)
        }
        await fixture.store.close()
    }
}
