import Spectral
import SpectralSampling

/// A JSON Schema declaration as the model should read it: an indented list of fields,
/// each with its CEL type, whether it is required (read directly) or optional (guard
/// with `has()`), and what bounds its values (enum members, minimum/maximum, maxItems,
/// maxLength, formats), rather than the schema's JSON, which is longer and names types
/// in JSON Schema's words where the model must write CEL's.
///
/// Everything in it came from the request, so it is data: names that are not plain
/// identifiers and enum strings are written as JSON strings (quotes, backticks and line
/// breaks escaped), long ones and long enums are cut, and the outline stops after
/// `maxLines`. (`description`s are not shown: `InputSchema` does not keep them.)
struct SchemaOutline {
    static let maxLines = 120
    static let maxEnumShown = 16

    private(set) var lines: [String] = []
    private var omitted = 0

    /// The outline of `schema` declared as `name`, one line per field, already indented
    /// under a list item for the declaration itself.
    static func render(_ schema: InputSchema, indent: String = "  ") -> String {
        var outline = SchemaOutline()
        outline.children(of: schema, indent: indent)
        if outline.omitted > 0 { outline.lines.append("\(indent)- … \(outline.omitted) more not shown") }
        return outline.lines.map { $0 + "\n" }.joined()
    }

    /// The one-line summary of a schema: its CEL type and constraints.
    static func summary(_ schema: InputSchema) -> String {
        var parts = [celType(schema)]
        if let values = schema.values {
            let shown = values.prefix(maxEnumShown).map(literal).joined(separator: ", ")
            let more = values.count > maxEnumShown ? ", … (\(values.count - maxEnumShown) more)" : ""
            parts.append(values.count == 1 ? "always \(shown)" : "one of \(shown)\(more)")
        }
        if let minimum = schema.minimum { parts.append("minimum \(number(minimum))") }
        if let maximum = schema.maximum { parts.append("maximum \(number(maximum))") }
        if let maxLength = schema.maxLength { parts.append("at most \(maxLength) characters") }
        if let maxItems = schema.maxItems { parts.append("at most \(maxItems) items") }
        if let maxProperties = schema.maxProperties { parts.append("at most \(maxProperties) members") }
        switch schema.format {
        case .ipv4?: parts.append("an IPv4 address")
        case .ipv6?: parts.append("an IPv6 address")
        case nil: break
        }
        if case .timestamp = schema.kind { parts.append("from an RFC 3339 date-time") }
        if schema.nullable { parts.append("may be null") }
        return parts.joined(separator: ", ")
    }

    /// What a field or element holds below its own line: an object's fields, an array's
    /// element.
    private mutating func children(of schema: InputSchema, indent: String) {
        switch schema.kind {
        case .array(let element):
            guard case .object = element.kind else { return }
            add("\(indent)- each item: \(Self.summary(element))")
            children(of: element, indent: indent + "  ")
        case .object(let object):
            for field in object.fields {
                let presence = field.required ? "required" : "optional, check with has() before reading"
                add("\(indent)- \(Self.name(field.name)) (\(presence)): \(Self.summary(field.schema))")
                children(of: field.schema, indent: indent + "  ")
            }
            switch object.additional {
            case .unread where !object.fields.isEmpty:
                add("\(indent)- no other fields may be read")
            case .unread: break
            case .forbidden:
                add("\(indent)- no other fields are allowed")
            case .allowed(let others):
                add("\(indent)- any other field (check with has() or `in` before reading): \(Self.summary(others))")
                children(of: others, indent: indent + "  ")
            }
        default: return
        }
    }

    private mutating func add(_ line: String) {
        if lines.count < Self.maxLines { lines.append(line) } else { omitted += 1 }
    }

    /// The type a predicate sees, in CEL's words.
    static func celType(_ schema: InputSchema) -> String {
        switch schema.kind {
        case .any: return "dyn"
        case .null: return "null"
        case .boolean: return "bool"
        case .integer: return "int"
        case .number: return "double"
        case .string: return "string"
        case .timestamp: return "timestamp"
        case .array(let element): return "list(\(celType(element)))"
        case .object(let object):
            guard object.fields.isEmpty else { return "object" }
            if case .allowed(let others) = object.additional { return "map(string, \(celType(others)))" }
            return "map(string, dyn)"
        }
    }

    /// A field name as CEL selects it (`amount`), or as a JSON string when it is not a
    /// plain identifier (`"unit-price"`): the quoting keeps whatever it holds inert.
    static func name(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let isIdentifier = !scalars.isEmpty && scalars.count <= 64 && scalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0)) }
            && !("0"..."9").contains(scalars.first!)
        return isIdentifier ? "`\(text)`" : quoted(text, limit: 64)
    }

    /// A JSON string literal of at most `limit` characters of the text.
    static func quoted(_ text: String, limit: Int) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return JSONValue.string(text).serialized() }
        return JSONValue.string(String(String.UnicodeScalarView(scalars.prefix(limit))) + "…").serialized()
    }

    private static func literal(_ constant: Constant) -> String {
        switch constant {
        case .string(let text): return quoted(text, limit: 64)
        case .double(let value): return number(value)
        default: return constant.jsonLiteral?.serialized() ?? "?"
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 0x1p53 ? String(Int64(value)) : String(value)
    }
}
