import SpectralTime
import SpectralVM

/// A CEL value outside an evaluation: what callers pass as bindings and get as results.
/// (Inside the interpreter, values live in the evaluation's heap; see `SpectralVM.Value`.)
public indirect enum CELValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([CELValue])
    /// Entries in insertion order; equality ignores order.
    case map([(key: CELValue, value: CELValue)])
    case timestamp(seconds: Int64, nanos: Int32)
    case duration(seconds: Int64, nanos: Int32)
    /// A type value, by its CEL name (`int`, `google.protobuf.Timestamp`, ...).
    case type(String)
    /// `optional.of(value)`, or `optional.none()` when nil.
    case optional(CELValue?)
    /// A value of an extension type (`net.IP`, `net.CIDR`) by its type name and its text.
    case opaque(type: String, text: String)

    /// CEL equality, except that NaN equals NaN (so results can be compared in tests).
    public static func == (lhs: CELValue, rhs: CELValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.uint(let x), .uint(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { entry in y.contains { $0.key == entry.key && $0.value == entry.value } }
        case (.timestamp(let s1, let n1), .timestamp(let s2, let n2)),
             (.duration(let s1, let n1), .duration(let s2, let n2)):
            return s1 == s2 && n1 == n2
        case (.type(let x), .type(let y)): return x == y
        case (.optional(let x), .optional(let y)): return x == y
        case (.opaque(let tx, let x), .opaque(let ty, let y)): return tx == ty && x == y
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return DoubleFormatting.cel(d)
        case .string(let s): return "\"\(s)\""
        case .bytes(let b): return "b\"\(String(decoding: b, as: UTF8.self))\""
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .timestamp(let s, let n):
            return (try? Timestamp(seconds: s, nanos: n)).map { "timestamp(\"\($0)\")" } ?? "timestamp(?)"
        case .duration(let s, let n):
            return (try? SpectralTime.Duration(seconds: s, nanos: Int64(n))).map { "duration(\"\($0)\")" } ?? "duration(?)"
        case .type(let name): return name
        case .optional(let wrapped?): return "optional.of(\(wrapped))"
        case .optional(nil): return "optional.none()"
        case .opaque(let type, let text): return "\(type)(\"\(text)\")"
        }
    }
}

extension CELValue {
    /// Builds this value in an evaluation's heap.
    func materialize(in heap: inout Heap) throws(Trap) -> Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return .uint(u)
        case .double(let d): return .double(d)
        case .string(let s): return try heap.makeString(s)
        case .bytes(let b): return try heap.makeBytes(b)
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.materialize(in: &heap)) }
            return try heap.makeList(values)
        case .map(let entries):
            var keys: [Value] = [], values: [Value] = []
            for entry in entries {
                keys.append(try entry.key.materialize(in: &heap))
                values.append(try entry.value.materialize(in: &heap))
            }
            return try heap.makeMap(keys: keys, values: values)
        case .timestamp(let s, let n): return .timestamp(seconds: s, nanos: n)
        case .duration(let s, let n): return .duration(seconds: s, nanos: n)
        case .type(let name): return TypeKind(name: name).map(Value.type) ?? heap.makeError("unknown type \(name)")
        case .optional(let wrapped): return try heap.makeObject(.optional(try wrapped?.materialize(in: &heap)))
        case .opaque(let type, _): return heap.makeError("values of type \(type) cannot be bound")
        }
    }

    /// Reads a value out of an evaluation's heap; nil for an error value (whose message is returned instead).
    static func from(_ value: Value, in heap: Heap) -> Result<CELValue, EvaluationError> {
        switch value {
        case .null: return .success(.null)
        case .bool(let b): return .success(.bool(b))
        case .int(let i): return .success(.int(i))
        case .uint(let u): return .success(.uint(u))
        case .double(let d): return .success(.double(d))
        case .string(let h): return .success(.string(heap.string(h)))
        case .bytes(let h): return .success(.bytes(heap.byteString(h)))
        case .list(let h):
            var items: [CELValue] = []
            for element in heap.list(h) {
                switch from(element, in: heap) {
                case .success(let v): items.append(v)
                case .failure(let e): return .failure(e)
                }
            }
            return .success(.list(items))
        case .map(let h):
            let map = heap.map(h)
            var entries: [(key: CELValue, value: CELValue)] = []
            for i in 0..<map.count {
                guard case .success(let k) = from(map.keys[i], in: heap),
                      case .success(let v) = from(map.values[i], in: heap) else {
                    return .failure(.evaluation("error inside map"))
                }
                entries.append((k, v))
            }
            return .success(.map(entries))
        case .timestamp(let s, let n): return .success(.timestamp(seconds: s, nanos: n))
        case .duration(let s, let n): return .success(.duration(seconds: s, nanos: n))
        case .type(let kind): return .success(.type(kind.name))
        case .object(let kind, let h):
            switch heap.object(h) {
            case .optional(nil): return .success(.optional(nil))
            case .optional(let wrapped?): return from(wrapped, in: heap).map { .optional($0) }
            case .ip(let address): return .success(.opaque(type: kind.typeKind.name, text: address.description))
            case .cidr(let address, let length): return .success(.opaque(type: kind.typeKind.name, text: "\(address)/\(length)"))
            }
        case .error(let h): return .failure(.evaluation(heap.errorMessage(h)))
        }
    }
}
