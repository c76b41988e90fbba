import Spectral
import SpectralJSON

/// What `POST /v1/authoring/tasks` asks for: an intent, the declared inputs and examples,
/// and the bounds of the agent's run. Parsed and checked here, before anything is stored
/// or any model is asked: a task that cannot succeed (an example that does not fit the
/// declarations, a bad name) fails at once instead of spending tokens.
///
/// JSON: `{"name", "intent", "declarations", "examples": [{"input", "expect"}], "description"?,
/// "rounds"?, "max_tokens"?, "max_seconds"?, "activation"?, "mask"?}`.
public struct AuthoringTaskRequest: Sendable, Equatable {
    public var name: String
    public var intent: String
    public var declarations: [String: String]
    public var examples: [PredicateTest]
    public var description: String
    /// Rounds per turn (model answers checked), 1–10.
    public var rounds: Int
    /// Tokens per turn (prompt + completion, as the model reports them).
    public var maxTokens: Int
    /// Wall time per turn.
    public var maxSeconds: Int
    public var activation: ActivationPolicy
    public var mask: InputMask

    public static let fields = ["name", "intent", "declarations", "examples", "description", "rounds", "max_tokens",
                                "max_seconds", "activation", "mask"]
    public static let roundsRange = 1...10
    public static let maxTokensRange = 100...1_000_000
    public static let maxSecondsRange = 1...3_600
    /// The intent goes into the prompt; its size bounds what one request can make us send.
    public static let maxIntentBytes = 8_192

    public init(name: String, intent: String, declarations: [String: String], examples: [PredicateTest] = [],
                description: String = "", rounds: Int = 5, maxTokens: Int = 50_000, maxSeconds: Int = 300,
                activation: ActivationPolicy = .always, mask: InputMask = .none) {
        self.name = name
        self.intent = intent
        self.declarations = declarations
        self.examples = examples
        self.description = description
        self.rounds = rounds
        self.maxTokens = maxTokens
        self.maxSeconds = maxSeconds
        self.activation = activation
        self.mask = mask
    }

    public init(json: JSONValue) throws(PredicateDefinitionError) {
        guard let members = json.objectValue else { throw PredicateDefinitionError("the task must be a JSON object") }
        try PredicateDefinitionError.refuseUnknown(members.map(\.0), in: "the task", expected: Self.fields)
        guard let name = json["name"]?.stringValue else { throw PredicateDefinitionError("\"name\" (a string) is required") }
        guard let intent = json["intent"]?.stringValue else {
            throw PredicateDefinitionError("\"intent\" (a string: what the predicate decides) is required")
        }
        let declarations = try PredicateDefinition.declarations(json: json["declarations"])
        let examples = try json["examples"].map { json throws(PredicateDefinitionError) in
            json.isNull ? [] : try PredicateTest.list(json: json)
        } ?? []
        // An integer as JSON Schema's `integer` admits it: `5` or `5.0` (the API's document
        // says integer, and a client may well serialise 5 as 5.0).
        func integer(_ key: String, in range: ClosedRange<Int>, default value: Int) throws(PredicateDefinitionError) -> Int {
            guard let field = json[key], !field.isNull else { return value }
            let integral = field.doubleValue.flatMap { $0.rounded() == $0 && abs($0) <= 1e15 ? Int64($0) : nil }
            guard let number = field.int64Value ?? integral, range.contains(Int(number)) else {
                throw PredicateDefinitionError("\"\(key)\" must be an integer from \(range.lowerBound) to \(range.upperBound), found \(field.serialized())")
            }
            return Int(number)
        }
        var description = ""
        if let field = json["description"], !field.isNull {
            guard let text = field.stringValue else { throw PredicateDefinitionError("\"description\" must be a string") }
            description = text
        }
        self.init(name: name, intent: intent, declarations: declarations, examples: examples, description: description,
                  rounds: try integer("rounds", in: Self.roundsRange, default: 5),
                  maxTokens: try integer("max_tokens", in: Self.maxTokensRange, default: 50_000),
                  maxSeconds: try integer("max_seconds", in: Self.maxSecondsRange, default: 300),
                  activation: try ActivationPolicy(json: json["activation"] ?? .null),
                  mask: try PredicateDefinition.mask(json: json["mask"], declarations: declarations))
        try validate()
    }

    public init(jsonText: String) throws(PredicateDefinitionError) {
        let json: JSONValue
        do { json = try JSONValue.parse(jsonText) } catch { throw PredicateDefinitionError("malformed JSON: \(error)") }
        try self.init(json: json)
    }

    /// The checks a task must pass before any model is asked: its name, intent and
    /// declarations, and every example's input against the declarations (an example whose
    /// `age` is a string where `int` is declared can never pass, whatever the model writes).
    public func validate() throws(PredicateDefinitionError) {
        guard PredicateDefinition.isValidName(name) else {
            throw PredicateDefinitionError("invalid predicate name '\(name)': use letters, digits, '_', '-' and '.', starting with a letter (at most 128)")
        }
        guard !intent.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            throw PredicateDefinitionError("the intent is empty: say what the predicate decides")
        }
        guard intent.utf8.count <= Self.maxIntentBytes else {
            throw PredicateDefinitionError("the intent is \(intent.utf8.count) bytes; at most \(Self.maxIntentBytes)", unprocessable: true)
        }
        guard examples.count <= PredicateDefinition.maxTests else {
            throw PredicateDefinitionError("a task holds at most \(PredicateDefinition.maxTests) examples, got \(examples.count)")
        }
        for (field, text) in [("name", name), ("intent", intent), ("description", description)] + declarations.map({ ("declaration of '\($0.key)'", $0.value) })
            where text.unicodeScalars.contains("\u{0}") {
            throw PredicateDefinitionError("\(field) contains the character U+0000")
        }
        try checkExamplesFitDeclarations()
    }

    /// Compiles a program that reads every declared input and runs it on each example:
    /// binding is where an input is checked against its declaration, so an example that
    /// does not fit fails here with the binder's own message (`/age: expected int, got string`).
    func checkExamplesFitDeclarations() throws(PredicateDefinitionError) {
        var declared: [String: InputDeclaration] = [:]
        for (variable, text) in declarations {
            do { declared[variable] = try InputDeclaration.parse(text) } catch {
                let quoted = InputDeclaration.isSchema(text) ? "" : " in '\(text)'"
                throw PredicateDefinitionError("declaration of '\(variable)': \(error.message)\(quoted)", unprocessable: true)
            }
        }
        guard !examples.isEmpty, !declared.isEmpty else { return }
        let reads = declared.keys.sorted().map { "\($0) == \($0)" }.joined(separator: " && ")
        let program: Program
        do { program = try compile(reads, in: Environment(declared: declared)) } catch {
            // Nothing to check against (a declaration `==` cannot compare): the validator
            // still checks every example once the model has answered.
            return
        }
        for (index, example) in examples.enumerated() {
            if case .failure(let error) = program.evaluate(json: example.input.serializedBytes()).result {
                throw PredicateDefinitionError("\(example.label(index: index)): the input does not fit the declarations: \(error)",
                                               unprocessable: true)
            }
        }
    }

    /// The stored form: every member, canonical, so the agent reads back what was checked.
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("intent", .string(intent)),
            ("declarations", PredicateDefinition.declarationsJSON(declarations)),
            ("examples", .array(examples.map(\.jsonValue))),
            ("description", .string(description)),
            ("rounds", .number(JSONNumber(Int64(rounds)))),
            ("max_tokens", .number(JSONNumber(Int64(maxTokens)))),
            ("max_seconds", .number(JSONNumber(Int64(maxSeconds)))),
        ]
        if activation != .always { members.append(("activation", activation.jsonValue)) }
        if !mask.isEmpty { members.append(("mask", .array(mask.pointers.map { .string($0) }))) }
        return .object(members)
    }

    /// The submission of an accepted expression: the examples are its tests.
    public func definition(source: String, author: String) -> PredicateDefinition {
        PredicateDefinition(name: name, source: source, declarations: declarations, tests: examples,
                            description: description.isEmpty ? intent : description, author: author,
                            activation: activation, mask: mask)
    }
}
