import Spectral
import SpectralCatalog

/// What the agent is asked to write: a predicate name, the intent in plain language, the
/// declared inputs, and examples (input → expected decision) that become the published
/// predicate's tests.
///
/// JSON form (`spectral author --task FILE`): `{"name": "adult", "intent": "…",
/// "declarations": {"age": "int"}, "examples": [{"input": {"age": 20}, "expect": true}],
/// "description"?: "…"}`.
public struct AuthoringTask: Sendable, Equatable {
    public var name: String
    public var intent: String
    public var declarations: [String: String]
    public var examples: [PredicateTest]
    /// Stored with the version; the intent when empty.
    public var description: String

    public init(name: String, intent: String, declarations: [String: String], examples: [PredicateTest] = [],
                description: String = "") {
        self.name = name
        self.intent = intent
        self.declarations = declarations
        self.examples = examples
        self.description = description
    }

    public init(json: JSONValue) throws(PredicateDefinitionError) {
        guard json.objectValue != nil else { throw PredicateDefinitionError("the task must be a JSON object") }
        guard let name = json["name"]?.stringValue else { throw PredicateDefinitionError("\"name\" (a string) is required") }
        guard let intent = json["intent"]?.stringValue else {
            throw PredicateDefinitionError("\"intent\" (a string: what the predicate decides) is required")
        }
        let declarations = try PredicateDefinition.declarations(json: json["declarations"])
        let examples = try json["examples"].map { json throws(PredicateDefinitionError) in
            json.isNull ? [] : try PredicateTest.list(json: json)
        } ?? []
        self.init(name: name, intent: intent, declarations: declarations, examples: examples,
                  description: json["description"]?.stringValue ?? "")
        try validate()
    }

    /// The checks a task must pass before any model is asked: the server's own
    /// (`AuthoringTaskRequest.validate`), examples fitting the declarations included, so a
    /// local run fails where a task posted to the API would.
    public func validate() throws(PredicateDefinitionError) {
        try AuthoringTaskRequest(name: name, intent: intent, declarations: declarations, examples: examples,
                                 description: description).validate()
    }

    /// The submission of an accepted expression: the examples are its tests.
    public func request(source: String, author: String) -> PredicateDefinition {
        PredicateDefinition(name: name, source: source, declarations: declarations, tests: examples,
                         description: description.isEmpty ? intent : description, author: author)
    }
}
