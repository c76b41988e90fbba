import SpectralBytecode
import SpectralJSON

/// Why a JSON Schema declaration was refused: what, and where in the schema (a JSON
/// pointer in URI-fragment form: `#` is the root, `#/properties/amount` a field).
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pointer: String
    public var message: String

    public init(_ message: String, at pointer: String) {
        self.pointer = pointer
        self.message = message
    }

    public var description: String { "\(message) at \(pointer)" }
}

extension InputSchema {
    /// The keywords Spectral understands. Any other is refused by name rather than
    /// ignored: a `pattern` or `minItems` the author relies on would otherwise not hold.
    public static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "maxItems", "maxLength", "maxProperties", "minimum", "maximum", "format",
        "$defs", "$ref", "description",
        // Marks a value masked in the decision log and in input errors (SpectralCatalog's
        // `InputMask`); it changes nothing about the type or what binding accepts.
        "x-masked",
    ]

    /// Nested schemas (arrays, objects, `$ref` expansions) beyond this are refused, like
    /// every declared type deeper than a module can carry.
    public static let maxDepth = DeclaredType.maxDepth
    /// Schemas one declaration may expand to: `$ref`s make a small text a large tree
    /// (each definition using the next twice doubles it), and the tree is what a module
    /// carries and the binder walks.
    public static let maxNodes = 4096
    /// Members of one `enum`: the binder compares each input value against them.
    public static let maxValues = 1024

    /// Parses schema text (a JSON object).
    public static func parse(_ text: String) throws(SchemaError) -> InputSchema {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch {
            throw SchemaError("malformed JSON Schema: \(error)", at: "#")
        }
        return try parse(json)
    }

    public static func parse(_ json: JSONValue) throws(SchemaError) -> InputSchema {
        guard let members = json.objectValue else { throw SchemaError("a JSON Schema must be an object", at: "#") }
        var definitions: [String: JSONValue] = [:]
        if let defs = members.last(where: { $0.0 == "$defs" })?.1 {
            guard let entries = defs.objectValue else { throw SchemaError("'$defs' must be an object", at: "#/$defs") }
            for (name, schema) in entries { definitions[name] = schema }
        }
        var parser = SchemaParser(definitions: definitions)
        return try parser.schema(json, pointer: "#", depth: 1)
    }
}

/// Walks a schema document once, expanding `$ref`s in place.
private struct SchemaParser {
    let definitions: [String: JSONValue]
    /// Definitions being expanded, innermost last: meeting one again is a cycle.
    var expanding: [String] = []
    var nodes = 0

    init(definitions: [String: JSONValue]) { self.definitions = definitions }

    mutating func schema(_ json: JSONValue, pointer: String, depth: Int) throws(SchemaError) -> InputSchema {
        guard depth <= InputSchema.maxDepth else {
            throw SchemaError("the schema nests deeper than \(InputSchema.maxDepth) levels", at: pointer)
        }
        nodes += 1
        guard nodes <= InputSchema.maxNodes else {
            throw SchemaError("the schema expands to more than \(InputSchema.maxNodes) schemas", at: pointer)
        }
        guard let members = json.objectValue else {
            throw SchemaError("a schema must be an object, found \(json.serialized())", at: pointer)
        }
        var keyword: [String: JSONValue] = [:]
        for (key, value) in members {
            guard InputSchema.keywords.contains(key) else {
                throw SchemaError("unsupported JSON Schema keyword '\(key)'", at: pointer)
            }
            guard keyword.updateValue(value, forKey: key) == nil else {
                throw SchemaError("duplicate keyword '\(key)'", at: pointer)
            }
        }
        if let description = keyword["description"], description.stringValue == nil {
            throw SchemaError("'description' must be a string", at: pointer + "/description")
        }
        if let masked = keyword["x-masked"], masked.boolValue == nil {
            throw SchemaError("'x-masked' must be true or false", at: pointer + "/x-masked")
        }
        if keyword["$defs"] != nil, pointer != "#" {
            throw SchemaError("'$defs' is only supported at the root of a declaration", at: pointer)
        }
        if let reference = keyword["$ref"] {
            return try resolve(reference, keyword: keyword, pointer: pointer, depth: depth)
        }

        var (kind, nullable) = try type(keyword["type"], pointer: pointer)
        var result = InputSchema(.any)

        if let values = keyword["enum"] {
            guard let items = values.arrayValue, !items.isEmpty else {
                throw SchemaError("'enum' must be a non-empty array", at: pointer + "/enum")
            }
            guard items.count <= InputSchema.maxValues else {
                throw SchemaError("'enum' has \(items.count) values, at most \(InputSchema.maxValues) are supported", at: pointer + "/enum")
            }
            result.values = try items.enumerated().map { (i, item) throws(SchemaError) in
                try Self.constant(item, pointer: pointer + "/enum/\(i)")
            }
        }
        if let value = keyword["const"] {
            guard result.values == nil else { throw SchemaError("'enum' and 'const' cannot both be given", at: pointer) }
            result.values = [try Self.constant(value, pointer: pointer + "/const")]
        }
        // Without `type`, the values say it: `{"enum": ["low", "high"]}` is a string.
        if keyword["type"] == nil, let values = result.values { (kind, nullable) = Self.kind(of: values) }

        switch kind {
        case .object:
            result.kind = .object(try object(keyword, pointer: pointer, depth: depth))
        case .array:
            guard let items = keyword["items"] else {
                throw SchemaError("an array schema needs 'items'", at: pointer)
            }
            result.kind = .array(try schema(items, pointer: pointer + "/items", depth: depth + 1))
        default:
            result.kind = kind
            for name in ["properties", "required", "additionalProperties", "maxProperties"] where keyword[name] != nil {
                throw SchemaError("'\(name)' needs \"type\": \"object\"", at: pointer)
            }
            if keyword["items"] != nil { throw SchemaError("'items' needs \"type\": \"array\"", at: pointer) }
        }
        result.nullable = nullable
        if case .array = result.kind {} else if keyword["maxItems"] != nil {
            throw SchemaError("'maxItems' needs \"type\": \"array\"", at: pointer)
        }
        result.maxItems = try Self.count(keyword["maxItems"], pointer: pointer + "/maxItems")
        result.maxProperties = try Self.count(keyword["maxProperties"], pointer: pointer + "/maxProperties")
        result.maxLength = try Self.count(keyword["maxLength"], pointer: pointer + "/maxLength")
        result.minimum = try Self.bound(keyword["minimum"], pointer: pointer + "/minimum")
        result.maximum = try Self.bound(keyword["maximum"], pointer: pointer + "/maximum")
        if let format = keyword["format"] {
            guard case .string = result.kind, let name = format.stringValue else {
                throw SchemaError("'format' needs \"type\": \"string\" and a string value", at: pointer + "/format")
            }
            switch name {
            case "date-time": result.kind = .timestamp
            case "ipv4": result.format = .ipv4
            case "ipv6": result.format = .ipv6
            default:
                throw SchemaError("unsupported format '\(name)' (supported: date-time, ipv4, ipv6)", at: pointer + "/format")
            }
        }
        try Self.checkApplicable(result, keyword: keyword, pointer: pointer)
        return result
    }

    /// `$ref` to a local definition, `#/$defs/NAME`, expanded in place.
    private mutating func resolve(_ reference: JSONValue, keyword: [String: JSONValue], pointer: String,
                                  depth: Int) throws(SchemaError) -> InputSchema {
        let at = pointer + "/$ref"
        if let other = keyword.keys.sorted().first(where: { $0 != "$ref" && $0 != "description" && $0 != "$defs" && $0 != "x-masked" }) {
            throw SchemaError("'$ref' cannot be combined with '\(other)'", at: pointer)
        }
        let prefix = "#/$defs/"
        guard let text = reference.stringValue, text.hasPrefix(prefix) else {
            throw SchemaError("only local references of the form \"#/$defs/NAME\" are supported, found \(reference.serialized())", at: at)
        }
        let name = Self.unescape(String(text.dropFirst(prefix.count)))
        guard let target = definitions[name] else {
            throw SchemaError("'$ref' names no definition: \(text)", at: at)
        }
        guard !expanding.contains(name) else {
            throw SchemaError("cyclic '$ref' \(text): recursive schemas are not supported", at: at)
        }
        expanding.append(name)
        defer { expanding.removeLast() }
        return try schema(target, pointer: "#/$defs/" + Self.escape(name), depth: depth)
    }

    private mutating func object(_ keyword: [String: JSONValue], pointer: String, depth: Int)
        throws(SchemaError) -> InputObject
    {
        var fields: [InputField] = []
        var declared: Set<String> = []
        if let properties = keyword["properties"] {
            guard let members = properties.objectValue else {
                throw SchemaError("'properties' must be an object", at: pointer + "/properties")
            }
            for (name, json) in members {
                let at = pointer + "/properties/" + Self.escape(name)
                guard declared.insert(name).inserted else { throw SchemaError("duplicate property '\(name)'", at: at) }
                fields.append(InputField(name: name, schema: try schema(json, pointer: at, depth: depth + 1), required: false))
            }
        }
        if let required = keyword["required"] {
            guard let names = required.arrayValue else {
                throw SchemaError("'required' must be an array of property names", at: pointer + "/required")
            }
            var seen: Set<String> = []
            for (i, json) in names.enumerated() {
                let at = pointer + "/required/\(i)"
                guard let name = json.stringValue else { throw SchemaError("'required' must hold strings", at: at) }
                guard seen.insert(name).inserted else { throw SchemaError("'\(name)' is required twice", at: at) }
                guard let index = fields.firstIndex(where: { $0.name == name }) else {
                    throw SchemaError("required property '\(name)' is not declared in 'properties'", at: at)
                }
                fields[index].required = true
            }
        }
        var additional = InputObject.Additional.unread
        if let extra = keyword["additionalProperties"] {
            let at = pointer + "/additionalProperties"
            switch extra {
            case .bool(false): additional = .forbidden
            case .bool(true): additional = .allowed(InputSchema(.any))
            case .object: additional = .allowed(try schema(extra, pointer: at, depth: depth + 1))
            default: throw SchemaError("'additionalProperties' must be true, false or a schema", at: at)
            }
        }
        return InputObject(fields: fields, additional: additional)
    }

    /// `type`: a name, or a list of one name and "null" (a nullable value).
    private func type(_ json: JSONValue?, pointer: String) throws(SchemaError) -> (InputSchema.Kind, Bool) {
        let at = pointer + "/type"
        guard let json else { return (.any, false) }
        if let name = json.stringValue { return (try Self.kind(named: name, at: at), false) }
        guard let names = json.arrayValue, !names.isEmpty else {
            throw SchemaError("'type' must be a type name or a non-empty array of them", at: at)
        }
        var kinds: [InputSchema.Kind] = []
        var nullable = false
        for (i, item) in names.enumerated() {
            guard let name = item.stringValue else { throw SchemaError("'type' must hold type names", at: at + "/\(i)") }
            let kind = try Self.kind(named: name, at: at + "/\(i)")
            if kind == .null {
                guard !nullable else { throw SchemaError("\"null\" appears twice in 'type'", at: at + "/\(i)") }
                nullable = true
            } else {
                kinds.append(kind)
            }
        }
        // A CEL value has one type: a union of two non-null types would be `dyn` and
        // leave the checker nothing to check, so it is refused.
        guard kinds.count <= 1 else {
            throw SchemaError("'type' may list one type and \"null\", not several types", at: at)
        }
        guard let kind = kinds.first else { return (.null, false) }
        return (kind, nullable)
    }

    private static func kind(named name: String, at pointer: String) throws(SchemaError) -> InputSchema.Kind {
        switch name {
        case "object": return .object(InputObject(fields: []))
        case "array": return .array(InputSchema(.any))
        case "string": return .string
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        case "null": return .null
        default:
            // The CEL spellings an author (or a model) reaches for first.
            let hint: [String: String] = ["int": "integer", "double": "number", "float": "number", "bool": "boolean",
                                          "map": "object", "list": "array", "dyn": "no 'type'"]
            let suggestion = hint[name].map { "; did you mean \($0 == "no 'type'" ? $0 : "'\($0)'")?" } ?? ""
            throw SchemaError("unknown type '\(name)' (JSON Schema types: object, array, string, integer, number, boolean, null)\(suggestion)", at: pointer)
        }
    }

    /// The kind `enum`/`const` values imply when `type` is absent.
    private static func kind(of values: [Constant]) -> (InputSchema.Kind, Bool) {
        var kinds: Set<Int> = []
        var nullable = false
        for value in values {
            switch value {
            case .null: nullable = true
            case .bool: kinds.insert(0)
            case .int, .uint: kinds.insert(1)
            case .double: kinds.insert(2)
            default: kinds.insert(3)
            }
        }
        switch kinds {
        case [0]: return (.boolean, nullable)
        case [1]: return (.integer, nullable)
        case [1, 2], [2]: return (.number, nullable)
        case [3]: return (.string, nullable)
        case []: return (.null, false)
        default: return (.any, false)
        }
    }

    private static func constant(_ json: JSONValue, pointer: String) throws(SchemaError) -> Constant {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .number(let n):
            if let i = n.int64Value { return .int(i) }
            if let u = n.uint64Value { return .uint(u) }
            return .double(n.doubleValue)
        case .array, .object:
            throw SchemaError("only scalar values (strings, numbers, booleans, null) are supported here", at: pointer)
        }
    }

    private static func count(_ json: JSONValue?, pointer: String) throws(SchemaError) -> UInt64? {
        guard let json else { return nil }
        guard let n = json.uint64Value else { throw SchemaError("must be a non-negative integer", at: pointer) }
        return n
    }

    private static func bound(_ json: JSONValue?, pointer: String) throws(SchemaError) -> Double? {
        guard let json else { return nil }
        guard let n = json.doubleValue, n.isFinite else { throw SchemaError("must be a number", at: pointer) }
        return n
    }

    /// Each constraint on a kind it can apply to, and values of that kind: a `maxLength`
    /// on a number or an `enum` of numbers on a string could never hold as written.
    private static func checkApplicable(_ schema: InputSchema, keyword: [String: JSONValue], pointer: String)
        throws(SchemaError)
    {
        let isString: Bool, isNumber: Bool, isObject: Bool
        switch schema.kind {
        case .string: (isString, isNumber, isObject) = (true, false, false)
        case .integer, .number: (isString, isNumber, isObject) = (false, true, false)
        case .object: (isString, isNumber, isObject) = (false, false, true)
        default: (isString, isNumber, isObject) = (false, false, false)
        }
        if keyword["maxLength"] != nil, !isString {
            throw SchemaError("'maxLength' needs \"type\": \"string\"", at: pointer)
        }
        if keyword["maxProperties"] != nil, !isObject {
            throw SchemaError("'maxProperties' needs \"type\": \"object\"", at: pointer)
        }
        for name in ["minimum", "maximum"] where keyword[name] != nil && !isNumber {
            throw SchemaError("'\(name)' needs \"type\": \"integer\" or \"number\"", at: pointer)
        }
        if let low = schema.minimum, let high = schema.maximum, low > high {
            throw SchemaError("'minimum' \(low) is above 'maximum' \(high)", at: pointer)
        }
        guard let values = schema.values else { return }
        let source = keyword["enum"] != nil ? "/enum" : "/const"
        for (i, value) in values.enumerated() {
            let fits: Bool
            switch (value, schema.kind) {
            case (.null, _): fits = schema.nullable || schema.kind == .null || schema.kind == .any
            case (_, .any): fits = true
            case (.bool, .boolean): fits = true
            case (.int, .integer), (.uint, .integer), (.int, .number), (.uint, .number), (.double, .number): fits = true
            case (.string, .string): fits = true
            default: fits = false
            }
            guard fits else {
                let at = pointer + source + (source == "/enum" ? "/\(i)" : "")
                throw SchemaError("value does not match the schema's type", at: at)
            }
        }
    }

    /// JSON pointer escaping of one reference token (RFC 6901): `~` → `~0`, `/` → `~1`.
    static func escape(_ token: String) -> String {
        token.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    static func unescape(_ token: String) -> String {
        token.replacing("~1", with: "/").replacing("~0", with: "~")
    }
}
