import SpectralBytecode

/// What the binder should make of a JSON value, from the variable's declared type.
/// `dyn` follows the default mapping (integers → int, or uint above the int range;
/// other numbers → double; objects → maps; arrays → lists).
public indirect enum InputShape: Sendable, Equatable {
    case dyn
    case int
    case uint
    case double
    case string
    case bool
    case bytes
    case timestamp
    case duration
    case list(InputShape)
    case map(InputShape)
    /// Declared by JSON Schema: validated while bound (`SchemaBinder`).
    case schema(InputSchema)
}

extension InputShape: CustomStringConvertible {
    /// The CEL type text, as declarations write it: `map(string, list(int))`.
    public var description: String {
        switch self {
        case .dyn: return "dyn"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bool: return "bool"
        case .bytes: return "bytes"
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .list(let element): return "list(\(element))"
        case .map(let value): return "map(string, \(value))"
        case .schema: return "schema"
        }
    }
}
