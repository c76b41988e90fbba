/// The declared type of an input variable, as a module carries it (format version 2):
/// what the evaluator needs to bind the variable's JSON value (a declared `double`
/// accepts `5000`; a declared `timestamp` parses an RFC 3339 string).
///
/// The bytecode layer depends on nothing, so it has its own type rather than the
/// compiler's `CELType`; the compiler maps `CELType` onto it and the VM maps it onto
/// its binding shapes. Only the types JSON input can be declared as are here: every
/// other CEL type (`null_type`, `type(T)`, abstract types) binds like `dyn` and is
/// carried as `dyn`.
public indirect enum DeclaredType: Hashable, Sendable {
    case dyn
    case bool
    case int
    case uint
    case double
    case string
    case bytes
    case timestamp
    case duration
    case list(DeclaredType)
    case map(key: DeclaredType, value: DeclaredType)
    /// Declared by JSON Schema (format version 4): the binder validates the input
    /// against it and binds each value as the checker typed it (an `integer` field as
    /// `int`, a `number` as `double` even when written `5`).
    case schema(InputSchema)

    /// The deepest nesting a module may carry: the decoder reads types recursively and
    /// must bound its stack on hostile input, and the verifier holds hand-built modules
    /// to the same limit so that every verified module decodes again. 64 is what JSON
    /// input can reach: `JSONLimits.maxDepth` counts the input object as one level.
    public static let maxDepth = 64

    /// Levels of type constructors: 1 for `int`, 2 for `list(int)`, 3 for
    /// `map(string, list(int))`.
    public var depth: Int {
        switch self {
        case .list(let element): return 1 + element.depth
        case .map(let key, let value): return 1 + max(key.depth, value.depth)
        case .schema(let schema): return schema.depth
        default: return 1
        }
    }
}

extension DeclaredType: CustomStringConvertible {
    /// The CEL type text, as declarations write it: `map(string, list(int))`.
    public var description: String {
        switch self {
        case .dyn: return "dyn"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .list(let element): return "list(\(element))"
        case .map(let key, let value): return "map(\(key), \(value))"
        case .schema: return "schema"
        }
    }
}
