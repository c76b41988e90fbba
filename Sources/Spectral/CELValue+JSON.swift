import SpectralJSON
import SpectralTime
import SpectralVM

/// A result as JSON, the form the CLI prints and the API answers with: numbers as numbers
/// (non-finite doubles as strings), bytes as base64, timestamps and durations in their
/// string forms, map keys as strings.
extension CELValue {
    public var jsonValue: JSONValue { Self.json(self) }

    /// The JSON text of `jsonValue`.
    public var jsonText: String { jsonValue.serialized() }

    private static func json(_ value: CELValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(JSONNumber(i))
        case .uint(let u): return .number(JSONNumber(u))
        case .double(let d):
            if let n = JSONNumber(d) { return .number(n) }
            return .string(d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"))
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(Base64.encode(b))
        case .list(let items): return .array(items.map(json))
        case .map(let entries):
            return .object(entries.map { entry in
                if case .string(let key) = entry.key { return (key, json(entry.value)) }
                return (entry.key.description, json(entry.value))
            })
        case .timestamp, .duration: return .string(stringForm(value))
        case .type(let name): return .string(name)
        // An absent optional is null; a present one is its value.
        case .optional(let wrapped): return wrapped.map(json) ?? .null
        case .opaque(_, let text): return .string(text)
        }
    }

    private static func stringForm(_ value: CELValue) -> String {
        switch value {
        case .timestamp(let s, let n): return (try? Timestamp(seconds: s, nanos: n))?.description ?? ""
        case .duration(let s, let n): return (try? SpectralTime.Duration(seconds: s, nanos: Int64(n)))?.description ?? ""
        default: return value.description
        }
    }
}
