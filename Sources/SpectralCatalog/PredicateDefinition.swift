import Spectral
import SpectralJSON

/// A predicate submitted for publication: the payload of a `predicate.authored` outbox
/// event, written by `spectral submit`, the HTTP intake and the authoring agent alike.
///
/// JSON form: `{"name": "adult", "source": "user.age >= 18", "declarations": {"user":
/// "map(string, dyn)"}, "tests": [{"input": {...}, "expect": true}], "description": "…",
/// "author": "…", "activate": true, "mask": ["/user/ssn"], "log_sample": 0.25}`.
public struct PredicateDefinition: Sendable, Equatable {
    public var name: String
    public var source: String
    /// Variable name → CEL type text, or JSON Schema text (a JSON object, kept in the
    /// canonical form `declarations(json:)` gives it).
    public var declarations: [String: String]
    public var tests: [PredicateTest]
    public var description: String
    public var author: String
    /// Whether the published version becomes the active one.
    public var activate: Bool
    /// The CEL type the predicate must evaluate to, as text: `bool` (a decision) unless a
    /// score or a value is wanted (`double`). The checker enforces it.
    public var returns: String
    /// When the version goes live if its predicate already has an active one: always, or
    /// only as its impact report allows (`ActivationPolicy`).
    public var activation: ActivationPolicy
    /// Input fields never written to the decision log nor quoted in errors, as the author
    /// listed them; the schema's `x-masked` properties are masked besides (`inputMask`).
    public var mask: InputMask
    /// The share of this predicate's decisions the log keeps, times the server's.
    public var logSample: LogSampleRate

    public init(name: String, source: String, declarations: [String: String] = [:], tests: [PredicateTest] = [],
                description: String = "", author: String = "unknown", activate: Bool = true, returns: String = "bool",
                activation: ActivationPolicy = .always, mask: InputMask = .none, logSample: LogSampleRate = .all) {
        self.name = name
        self.source = source
        self.declarations = declarations
        self.tests = tests
        self.description = description
        self.author = author
        self.activate = activate
        self.returns = returns
        self.activation = activation
        self.mask = mask
        self.logSample = logSample
    }

    /// Everything masked: the listed pointers and the schema-marked ones. A definition
    /// that parsed from JSON has declarations whose marks were checked there.
    public var inputMask: InputMask { mask.union(InputMask.marking(declarations)) }

    /// Predicate names: 1–128 characters of letters, digits, `_`, `-` and `.`, starting
    /// with a letter; they appear in URLs and in `name@version`.
    /// The members a definition may have; anything else is refused by name (a misspelt
    /// `"tsets"` would otherwise publish a predicate without its tests).
    /// Tests run at every validation, each up to the fuel limit: their number bounds the work.
    public static let maxTests = 100

    public static let fields = ["name", "source", "declarations", "tests", "description", "author", "activate", "returns",
                                "activation", "mask", "log_sample"]

    public static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 128, isLetter(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    public init(json: JSONValue) throws(PredicateDefinitionError) {
        guard let members = json.objectValue else { throw PredicateDefinitionError("the request must be a JSON object") }
        try PredicateDefinitionError.refuseUnknown(members.map(\.0), in: "the predicate", expected: Self.fields)
        guard let name = json["name"]?.stringValue else { throw PredicateDefinitionError("\"name\" (a string) is required") }
        guard Self.isValidName(name) else {
            throw PredicateDefinitionError("invalid predicate name '\(name)': use letters, digits, '_', '-' and '.', starting with a letter (at most 128)")
        }
        guard let source = json["source"]?.stringValue else { throw PredicateDefinitionError("\"source\" (a string) is required") }
        let declarations = try Self.declarations(json: json["declarations"])
        let tests = try json["tests"].map { json throws(PredicateDefinitionError) in
            json.isNull ? [] : try PredicateTest.list(json: json)
        } ?? []
        guard tests.count <= Self.maxTests else {
            throw PredicateDefinitionError("a predicate holds at most \(Self.maxTests) tests, got \(tests.count)")
        }
        func optionalString(_ key: String, default value: String) throws(PredicateDefinitionError) -> String {
            guard let field = json[key], !field.isNull else { return value }
            guard let text = field.stringValue else { throw PredicateDefinitionError("\"\(key)\" must be a string") }
            return text
        }
        var activate = true
        if let field = json["activate"], !field.isNull {
            guard let flag = field.boolValue else { throw PredicateDefinitionError("\"activate\" must be true or false") }
            activate = flag
        }
        self.init(name: name, source: source, declarations: declarations, tests: tests,
                  description: try optionalString("description", default: ""),
                  author: try optionalString("author", default: "unknown"), activate: activate,
                  returns: try optionalString("returns", default: "bool"),
                  activation: try ActivationPolicy(json: json["activation"] ?? .null),
                  mask: try Self.mask(json: json["mask"], declarations: declarations),
                  logSample: try Self.logSample(json: json["log_sample"]))
        // Stores keep these as text, and neither PostgreSQL nor SQLite text holds U+0000.
        // (A NUL inside a CEL string is written as the escape \0 or \x00 in the source.)
        for (field, text) in [("source", source), ("description", description), ("author", author), ("returns", returns)] + declarations.map({ ("declaration of '\($0.key)'", $0.value) })
            where text.unicodeScalars.contains("\u{0}") {
            throw PredicateDefinitionError("\(field) contains the character U+0000")
        }
    }

    public init(jsonText: String) throws(PredicateDefinitionError) {
        let json: JSONValue
        do { json = try JSONValue.parse(jsonText) } catch {
            throw PredicateDefinitionError("malformed JSON: \(error)")
        }
        try self.init(json: json)
    }

    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("source", .string(source)),
            ("declarations", Self.declarationsJSON(declarations)),
            ("tests", .array(tests.map(\.jsonValue))),
            ("description", .string(description)),
            ("author", .string(author)),
            ("activate", .bool(activate)),
            ("returns", .string(returns)),
        ]
        // Only when set: a worker of the previous release, which refuses members it does
        // not know, still reads every payload that does not use them (expand/contract).
        if activation != .always { members.append(("activation", activation.jsonValue)) }
        if !mask.isEmpty { members.append(("mask", .array(mask.pointers.map { .string($0) }))) }
        if logSample != .all { members.append(("log_sample", JSONNumber(logSample.value).map { .number($0) } ?? .null)) }
        return .object(members)
    }

    /// `"mask"`: an array of JSON pointers (absent or null: none). Errors name the pointer
    /// by its index. The declarations' `x-masked` marks are checked here too, so a mark
    /// that cannot be honoured is refused with the request.
    static func mask(json: JSONValue?, declarations: [String: String]) throws(PredicateDefinitionError) -> InputMask {
        // The shape (an array of strings) is the request's; what the strings say, and the
        // schema's marks, are the mask's meaning (422 at the intake).
        var pointers: [String] = []
        if let json, !json.isNull {
            guard let items = json.arrayValue else {
                throw PredicateDefinitionError("\"mask\" must be an array of JSON pointers such as [\"/user/ssn\"]")
            }
            for (index, item) in items.enumerated() {
                guard let pointer = item.stringValue else {
                    throw PredicateDefinitionError("mask[\(index)]: a pointer must be a string, found \(item.serialized())")
                }
                pointers.append(pointer)
            }
        }
        do throws(InputMaskError) {
            _ = try InputMask.marked(in: declarations)
            return pointers.isEmpty ? .none : try InputMask(pointers: pointers)
        } catch {
            throw PredicateDefinitionError(error.message, unprocessable: true)
        }
    }

    /// `"log_sample"`: a number from 0 to 1 (absent or null: 1, every decision).
    static func logSample(json: JSONValue?) throws(PredicateDefinitionError) -> LogSampleRate {
        guard let json, !json.isNull else { return .all }
        guard case .number(let number) = json else {
            throw PredicateDefinitionError("\"log_sample\" must be a number from 0 to 1, found \(json.serialized())")
        }
        do { return try LogSampleRate(number.doubleValue) } catch {
            throw PredicateDefinitionError("\"log_sample\" must be a number from 0 to 1, got \(number)")
        }
    }

    /// `"declarations"`: variable name → CEL type string or JSON Schema object; absent or
    /// null is none. Shared by every JSON form that declares inputs (requests, the agent's
    /// tasks). A schema is kept as its canonical text (members sorted, no spaces), so the
    /// same schema always stores the same text.
    public static func declarations(json: JSONValue?) throws(PredicateDefinitionError) -> [String: String] {
        guard let object = json, !object.isNull else { return [:] }
        guard let members = object.objectValue else {
            throw PredicateDefinitionError("\"declarations\" must map variable names to CEL type strings or JSON Schema objects")
        }
        var declarations: [String: String] = [:]
        for (variable, type) in members {
            guard declarations[variable] == nil else {
                throw PredicateDefinitionError("'\(variable)' is declared twice")
            }
            if case .object = type {
                declarations[variable] = canonical(type).serialized()
                continue
            }
            guard let text = type.stringValue else {
                throw PredicateDefinitionError("declaration of '\(variable)' must be a CEL type string such as \"map(string, dyn)\" or a JSON Schema object")
            }
            declarations[variable] = text
        }
        return declarations
    }

    /// Declarations as a JSON object with sorted keys (stable text for storage). A JSON
    /// Schema declaration is shown as the object it is, not as a string holding it.
    public static func declarationsJSON(_ declarations: [String: String]) -> JSONValue {
        .object(declarations.sorted { $0.key < $1.key }.map { entry in
            if InputDeclaration.isSchema(entry.value), let schema = try? JSONValue.parse(entry.value) {
                return (entry.key, schema)
            }
            return (entry.key, .string(entry.value))
        })
    }

    /// Object members sorted by key at every level; arrays keep their order (it is meaningful).
    static func canonical(_ json: JSONValue) -> JSONValue {
        switch json {
        case .object(let members):
            return .object(members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map { ($0.0, canonical($0.1)) })
        case .array(let items): return .array(items.map(canonical))
        default: return json
        }
    }
}
