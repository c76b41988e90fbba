import Spectral
import SpectralJSON

/// The JSON Schema of a predicate version's decide input (`"input"` of `POST /v1/decide`):
/// an object with one property per declared variable, every one required. A variable
/// declared by JSON Schema appears as its author wrote it (the canonical text the store
/// keeps); one declared with a CEL type appears as the JSON that binding accepts for it.
///
/// Served by `GET /v1/predicates/{name}/schema` rather than spliced into `/openapi.json`,
/// so the OpenAPI document stays the committed, static one (schemathesis fuzzes the API
/// from it, and a document that grew with the catalogue would be neither fixed nor bounded).
public enum InputJSONSchema {
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// The input schema of `version`. Declarations the store holds were checked at
    /// publication, so one that no longer parses is described as any value (`{}`), not an error.
    public static func document(of version: PredicateVersion) -> JSONValue {
        let names = version.declarations.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return .object([
            ("$schema", .string(dialect)),
            ("title", .string("\(version.name)@\(version.version) input")),
            ("type", .string("object")),
            ("required", .array(names.map { .string($0) })),
            ("properties", .object(names.map { name in (name, schema(declaring: name, version.declarations[name] ?? "dyn")) })),
        ])
    }

    /// One variable's schema from its declaration text.
    static func schema(declaring name: String, _ text: String) -> JSONValue {
        if InputDeclaration.isSchema(text) {
            guard let written = try? JSONValue.parse(text) else { return .object([]) }
            return relocatingReferences(written, under: "#/properties/" + pointerEscaped(name))
        }
        guard let declared = try? DeclaredType(parsing: text) else { return .object([]) }
        return schema(for: declared)
    }

    /// The JSON a CEL-typed variable binds from (`JSONBinder`): a `double` accepts any
    /// number, a `timestamp` an RFC 3339 string, a map a JSON object (whose keys are
    /// strings whatever the declared key type).
    static func schema(for declared: DeclaredType) -> JSONValue {
        switch declared {
        case .dyn: return .object([])
        case .bool: return .object([("type", .string("boolean"))])
        case .int:
            return .object([("type", .string("integer")), ("minimum", .number(JSONNumber(Int64.min))),
                            ("maximum", .number(JSONNumber(Int64.max)))])
        case .uint:
            return .object([("type", .string("integer")), ("minimum", .number(JSONNumber(Int64(0)))),
                            ("maximum", .number(JSONNumber(UInt64.max)))])
        case .double: return .object([("type", .string("number"))])
        case .string: return .object([("type", .string("string"))])
        case .bytes: return .object([("type", .string("string")), ("description", .string("bytes: the string's UTF-8 encoding"))])
        case .timestamp: return .object([("type", .string("string")), ("format", .string("date-time"))])
        case .duration:
            return .object([("type", .string("string")), ("description", .string("a CEL duration such as \"1.5s\" or \"2h45m\""))])
        case .list(let element): return .object([("type", .string("array")), ("items", schema(for: element))])
        case .map(_, let value): return .object([("type", .string("object")), ("additionalProperties", schema(for: value))])
        // Only a whole variable is declared by schema, and `schema(declaring:_:)` shows
        // it from its text, as written.
        case .schema: return .object([])
        }
    }

    /// A declaration's local references (`#/$defs/NAME`, the only kind the parser takes)
    /// point into the declaration itself; placed under `pointer` in a larger document,
    /// they must say so. Only `$ref` members whose value is a string are references: a
    /// property named `$ref` holds a schema object.
    static func relocatingReferences(_ json: JSONValue, under pointer: String) -> JSONValue {
        switch json {
        case .object(let members):
            return .object(members.map { key, value in
                if key == "$ref", case .string(let reference) = value, reference.hasPrefix("#") {
                    return (key, .string(pointer + reference.dropFirst()))
                }
                return (key, relocatingReferences(value, under: pointer))
            })
        case .array(let items): return .array(items.map { relocatingReferences($0, under: pointer) })
        default: return json
        }
    }

    /// RFC 6901: `~` is `~0`, `/` is `~1`.
    static func pointerEscaped(_ name: String) -> String {
        var escaped = ""
        for character in name {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
