import Spectral
import SpectralJSON

extension InputMask {
    /// The schema keyword that marks a property masked: `{"type": "string", "x-masked":
    /// true}`. An `x-` extension, so other JSON Schema validators ignore it.
    public static let schemaKeyword = "x-masked"

    /// The pointers the JSON Schema declarations mark masked: a variable, property or
    /// array's items whose schema says `"x-masked": true` (items give a `*` segment, so
    /// every element is masked), following local `$ref`s. CEL-typed declarations mark
    /// nothing. Only schemas the parser would accept are meaningful; a malformed one
    /// gives what can be read of it (the validator refuses it anyway).
    public static func marked(in declarations: [String: String]) throws(InputMaskError) -> [String] {
        var pointers: [String] = []
        for (variable, text) in declarations where InputDeclaration.isSchema(text) {
            guard let schema = try? JSONValue.parse(text) else { continue }
            var walker = SchemaWalker(definitions: schema["$defs"]?.objectValue ?? [])
            try walker.walk(schema, pointer: "/" + InputJSONSchema.pointerEscaped(variable), at: "\(variable): #", depth: 0)
            pointers += walker.marked
        }
        return pointers
    }

    /// The mask of what `declarations` mark. Declarations were checked when their version
    /// was submitted, so one that cannot be read now marks what can be read of it.
    static func marking(_ declarations: [String: String]) -> InputMask {
        guard let pointers = try? marked(in: declarations), !pointers.isEmpty else { return .none }
        return (try? InputMask(pointers: pointers)) ?? InputMask(unchecked: pointers)
    }
}

/// One declaration's walk, `$ref`s expanded in place as the parser expands them.
private struct SchemaWalker {
    let definitions: [(String, JSONValue)]
    var marked: [String] = []
    /// Definitions being expanded, innermost last; and schemas visited, bounded as the
    /// parser bounds them (`InputSchema.maxNodes`), so a schema it would refuse cannot
    /// make this walk long either.
    var expanding: [String] = []
    var nodes = 0

    init(definitions: [(String, JSONValue)]) { self.definitions = definitions }

    /// `pointer` is where in the input the schema's value sits; `at`, where in the
    /// declaration the schema is, for messages.
    mutating func walk(_ schema: JSONValue, pointer: String, at: String, depth: Int) throws(InputMaskError) {
        nodes += 1
        guard depth <= 64, nodes <= 4096, case .object = schema else { return }
        if case .bool(true)? = schema[InputMask.schemaKeyword] {
            marked.append(pointer)
            return  // everything inside is masked with it
        }
        if case .string(let reference)? = schema["$ref"], reference.hasPrefix("#/$defs/") {
            let name = Self.unescape(String(reference.dropFirst("#/$defs/".count)))
            guard !expanding.contains(name), let target = definitions.last(where: { $0.0 == name })?.1 else { return }
            expanding.append(name)
            defer { expanding.removeLast() }
            try walk(target, pointer: pointer, at: reference, depth: depth + 1)
            return
        }
        if let properties = schema["properties"]?.objectValue {
            for (name, property) in properties {
                let escaped = InputJSONSchema.pointerEscaped(name)
                try walk(property, pointer: pointer + "/" + escaped, at: at + "/properties/" + escaped, depth: depth + 1)
            }
        }
        if let items = schema["items"] {
            try walk(items, pointer: pointer + "/*", at: at + "/items", depth: depth + 1)
        }
        // The members `additionalProperties` describes have no pointer of their own short of
        // `*`, which would mask the declared properties too.
        if let additional = schema["additionalProperties"], mentionsMask(additional, depth: 0) {
            throw InputMaskError("\(at)/additionalProperties: '\(InputMask.schemaKeyword)' is not supported under additionalProperties; mark the object itself, or declare the property")
        }
    }

    /// Whether `x-masked: true` appears anywhere in `json`, or in a definition it refers to
    /// (the depth bounds a cycle of references).
    func mentionsMask(_ json: JSONValue, depth: Int) -> Bool {
        guard depth <= 64 else { return false }
        switch json {
        case .object(let members):
            return members.contains { key, value in
                if key == InputMask.schemaKeyword, value == .bool(true) { return true }
                if key == "$ref", case .string(let reference) = value, reference.hasPrefix("#/$defs/") {
                    let name = Self.unescape(String(reference.dropFirst("#/$defs/".count)))
                    guard let target = definitions.last(where: { $0.0 == name })?.1 else { return false }
                    return mentionsMask(target, depth: depth + 1)
                }
                return mentionsMask(value, depth: depth + 1)
            }
        case .array(let items): return items.contains { mentionsMask($0, depth: depth + 1) }
        default: return false
        }
    }

    static func unescape(_ segment: String) -> String {
        segment.replacing("~1", with: "/").replacing("~0", with: "~")
    }
}
