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

    /// Read as the API reads a task (`AuthoringTaskRequest`): the same members, checks and
    /// errors; its run bounds (`rounds`, …) are the command line's here.
    public init(json: JSONValue) throws(PredicateDefinitionError) {
        let request = try AuthoringTaskRequest(json: json)
        self.init(name: request.name, intent: request.intent, declarations: request.declarations, examples: request.examples,
                  description: request.description)
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
