import Hummingbird
import HummingbirdTesting
import SpectralTestSupport
import Testing

/// The schema keywords `TypedInputTests` leaves out, through the HTTP API on both stores:
/// `const`, `maxProperties`, `maximum`, `format: ipv6`, `$defs`/`$ref`, `boolean`,
/// `additionalProperties` as `true` and as a schema, a nullable type list, `description`.
/// One published predicate reads every field (so each is typed by its schema: a field of
/// the wrong type would not have checked), then a table of inputs, each accepted with its
/// decision or refused with its exact JSON-pointer message.
@Suite struct TypedInputKeywordTests {
    static let schema = #"""
        {"type": "object", "required": ["kind", "score", "addr", "flags", "tags", "owner"], "additionalProperties": false,
         "$defs": {"person": {"type": "object", "required": ["name"], "description": "who owns it",
                              "properties": {"name": {"type": "string"}, "age": {"type": ["integer", "null"], "maximum": 150}}}},
         "properties": {
           "kind": {"const": "order"},
           "score": {"type": "number", "maximum": 1},
           "addr": {"type": "string", "format": "ipv6"},
           "flags": {"type": "object", "maxProperties": 2, "additionalProperties": {"type": "boolean"}},
           "tags": {"type": "object", "additionalProperties": true},
           "owner": {"$ref": "#/$defs/person"}}}
        """#

    static let source = """
        x.kind == 'order' && x.score <= 1.0 && x.addr.startsWith('2001') && x.flags.all(k, x.flags[k]) \
        && size(x.tags) >= 0 && x.owner.name != '' && (x.owner.age == null || x.owner.age >= 18)
        """

    @Test(arguments: TestBackend.allCases)
    func everyKeywordValidatesItsField(_ backend: TestBackend) async throws {
        let fixture = try await HTTPFixture.make(backend)
        let published = try await fixture.publish("keywords", Self.source, declarations: ["x": Self.schema])
        #expect("\(published)".contains("published"), "\(published)")
        try await fixture.application().test(.router) { client in
            func decide(_ fields: String) async throws -> (status: HTTPResponse.Status, body: String) {
                try await client.post("/v1/decide", #"{"predicate": "keywords", "input": {"x": {"# + fields + "}}}")
            }
            let valid = #""kind": "order", "score": 0.5, "addr": "2001:db8::1", "flags": {"a": true}, "tags": {"any": [1, {"b": null}]}"#
            let accepted: [(String, Bool)] = [
                (valid + #", "owner": {"name": "ada", "age": 36}"#, true),
                (valid + #", "owner": {"name": "ada", "age": null}"#, true),    // [integer, null]
                (valid + #", "owner": {"name": "ada", "age": 12}"#, false),
            ]
            for (input, decision) in accepted {
                let answer = try await decide(input)
                #expect(answer.status == .ok, "\(input): \(answer.body)")
                #expect(answer.body.hasPrefix(#"{"predicate":"keywords","version":1,"decision":\#(decision),"#), "\(answer.body)")
            }
            let owner = #", "owner": {"name": "ada"}"#
            let refused: [(String, String)] = [
                (#""kind": "offer", "score": 0.5, "addr": "::1", "flags": {}, "tags": {}"# + owner,
                 #"/x/kind: \"offer\" is not one of \"order\""#),
                (#""kind": "order", "score": 1.5, "addr": "::1", "flags": {}, "tags": {}"# + owner,
                 "/x/score: 1.5 is above the maximum 1"),
                (#""kind": "order", "score": 0, "addr": "10.0.0.1", "flags": {}, "tags": {}"# + owner,
                 #"/x/addr: \"10.0.0.1\" is not an IPv6 address"#),
                (#""kind": "order", "score": 0, "addr": "::1", "flags": {"a": true, "b": false, "c": true}, "tags": {}"# + owner,
                 "/x/flags: 3 members, at most 2 allowed"),
                (#""kind": "order", "score": 0, "addr": "::1", "flags": {"a": 1}, "tags": {}"# + owner,
                 "/x/flags/a: expected boolean, got integer"),
                (#""kind": "order", "score": 0, "addr": "::1", "flags": {}, "tags": {}, "owner": {"age": 151}"#,
                 "/x/owner/age: 151 is above the maximum 150; /x/owner: missing required field 'name'"),
                (#""kind": "order", "score": 0, "addr": "::1", "flags": {}, "tags": 3"# + owner,
                 "/x/tags: expected object, got integer"),
            ]
            for (input, message) in refused {
                let answer = try await decide(input)
                #expect(answer.status == .unprocessableContent, "\(input)")
                #expect(errorOnly(answer.body) == #"{"error":{"code":"invalid_input","message":"input does not fit keywords@1: "# + message + #""}}"#)
            }
        }
        await fixture.store.close()
    }
}
