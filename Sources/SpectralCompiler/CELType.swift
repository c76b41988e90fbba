/// A CEL type as the checker reasons about it.
public indirect enum CELType: Hashable, Sendable, CustomStringConvertible {
    case dyn
    case null
    case bool, int, uint, double, string, bytes
    case timestamp, duration
    case list(CELType)
    case map(CELType, CELType)
    /// The type of a type value: `type(int)` has type `type(int)`.
    case type(CELType)
    /// A type parameter of an overload (`T`, `K`, `V`), only inside declarations.
    case param(String)
    /// A named abstract type with parameters, such as `tuple(T, U)` or `optional_type(T)`.
    case abstract(String, [CELType])
    /// An object declared by JSON Schema: named fields, each typed (bound as a map).
    case object(ObjectType)
    /// A value declared `type: [T, "null"]`. Only `==`/`!=` accept it as it is; any
    /// other use is a check error until a null test narrows it (`x != null && x > 0`),
    /// so a null can never reach an operator that has no overload for it.
    case nullable(CELType)
    /// The type of an expression that failed to check.
    case error

    public var description: String {
        switch self {
        case .dyn: return "dyn"
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .list(let e): return "list(\(e))"
        case .map(let k, let v): return "map(\(k), \(v))"
        case .type(let t): return "type(\(t))"
        case .param(let name): return name
        case .abstract(let name, let params):
            return params.isEmpty ? name : "\(name)(\(params.map(\.description).joined(separator: ", ")))"
        case .object(let object): return object.description
        case .nullable(let inner): return "nullable(\(inner))"
        case .error: return "*error*"
        }
    }
}

/// A declared function: a name and its overloads.
public struct FunctionDecl: Sendable {
    public var name: String
    public var overloads: [Overload]

    public init(_ name: String, _ overloads: [Overload]) {
        self.name = name
        self.overloads = overloads
    }
}

/// One signature of a function. For a receiver-style overload (`s.contains(t)`) the
/// receiver is the first parameter.
public struct Overload: Sendable {
    public var id: String
    public var params: [CELType]
    public var result: CELType
    public var receiver: Bool
    /// Every type parameter named in the signature (computed once: the checker asks for
    /// it at every call it resolves).
    let typeParams: Set<String>

    public init(_ id: String, _ params: [CELType], _ result: CELType, receiver: Bool = false) {
        self.id = id
        self.params = params
        self.result = result
        self.receiver = receiver
        self.typeParams = Self.collectTypeParams(params, result)
    }

    private static func collectTypeParams(_ params: [CELType], _ result: CELType) -> Set<String> {
        var names = Set<String>()
        func collect(_ t: CELType) {
            switch t {
            case .param(let n): names.insert(n)
            case .list(let e): collect(e)
            case .map(let k, let v): collect(k); collect(v)
            case .type(let t): collect(t)
            case .abstract(_, let ps): ps.forEach(collect)
            case .nullable(let inner): collect(inner)
            default: break
            }
        }
        params.forEach(collect)
        collect(result)
        return names
    }
}
