/// An entry of a module's constant pool.
public enum Constant: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    /// A type value such as `int` or `google.protobuf.Timestamp`, by its CEL name.
    case type(String)
    case timestamp(seconds: Int64, nanos: Int32)
    case duration(seconds: Int64, nanos: Int32)
    /// A list of earlier pool entries (by index), so a literal like `['US', 'CA']` is
    /// built once per program instead of once per evaluation.
    case list([UInt32])
    /// A map of earlier pool entries: alternating key and value indices.
    case map([UInt32])

    /// Bit-exact equality: `-0.0` and `0.0` are different constants, NaNs with the same bits equal.
    public static func == (lhs: Constant, rhs: Constant) -> Bool {
        switch (lhs, rhs) {
        case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.uint(let x), .uint(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.type(let x), .type(let y)): return x == y
        case (.timestamp(let s1, let n1), .timestamp(let s2, let n2)): return s1 == s2 && n1 == n2
        case (.duration(let s1, let n1), .duration(let s2, let n2)): return s1 == s2 && n1 == n2
        case (.list(let x), .list(let y)): return x == y
        case (.map(let x), .map(let y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let v): hasher.combine(1); hasher.combine(v)
        case .int(let v): hasher.combine(2); hasher.combine(v)
        case .uint(let v): hasher.combine(3); hasher.combine(v)
        case .double(let v): hasher.combine(4); hasher.combine(v.bitPattern)
        case .string(let v): hasher.combine(5); hasher.combine(v.utf8.count); for b in v.utf8 { hasher.combine(b) }
        case .bytes(let v): hasher.combine(6); hasher.combine(v)
        case .type(let v): hasher.combine(7); hasher.combine(v)
        case .timestamp(let s, let n): hasher.combine(8); hasher.combine(s); hasher.combine(n)
        case .duration(let s, let n): hasher.combine(9); hasher.combine(s); hasher.combine(n)
        case .list(let v): hasher.combine(10); hasher.combine(v)
        case .map(let v): hasher.combine(11); hasher.combine(v)
        }
    }
}
