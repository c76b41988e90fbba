/// A CEL value as the interpreter holds it in a register: a trivial (bit-copyable) enum
/// with no reference counting. Strings, bytes, lists, maps and error messages live in the
/// evaluation's `Heap` and are referred to by index; scalars are stored inline.
public enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(UInt32)
    case bytes(UInt32)
    case list(UInt32)
    case map(UInt32)
    case timestamp(seconds: Int64, nanos: Int32)
    case duration(seconds: Int64, nanos: Int32)
    case type(TypeKind)
    /// An optional value or a network address: `HeapObject` at this index of `Heap.objects`.
    case object(ObjectKind, UInt32)
    /// A CEL error: a value, so `&&`, `||` and the ternary can absorb it. Index into `Heap.errors`.
    case error(UInt32)

    @inlinable public var isError: Bool {
        if case .error = self { return true }
        return false
    }

    /// The kind used by `type()` and for error messages.
    public var typeKind: TypeKind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list
        case .map: return .map
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .type: return .type
        case .object(let kind, _): return kind.typeKind
        case .error: return .error
        }
    }
}

/// The runtime types of CEL values, which are themselves values (`type(1) == int`).
public enum TypeKind: UInt8, Sendable, CaseIterable {
    case null, bool, int, uint, double, string, bytes, list, map, timestamp, duration, type, dyn, error
    case optionalType, ip, cidr

    /// The name CEL prints and type identifiers resolve to.
    public var name: String {
        switch self {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .list: return "list"
        case .map: return "map"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .type: return "type"
        case .dyn: return "dyn"
        case .error: return "error"
        case .optionalType: return "optional_type"
        case .ip: return "net.IP"
        case .cidr: return "net.CIDR"
        }
    }

    public init?(name: String) {
        guard let kind = TypeKind.allCases.first(where: { $0.name == name && $0 != .error }) else { return nil }
        self = kind
    }
}
