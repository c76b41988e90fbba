/// The hashable identity of a map key. Numeric keys are normalised so that `1`, `1u` and
/// `1.0` find the same entry, as CEL's heterogeneous equality requires.
public enum MapKey: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// Only for values above `Int64.max`; smaller unsigned values normalise to `.int`.
    case uint(UInt64)
    /// Only for doubles that are not integral (they can never equal an int or uint key).
    case double(UInt64)
    case string(ExactString)
    case other

    /// Builds the key; strings need the heap to read their text.
    static func of(_ value: Value, in heap: Heap) -> MapKey {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return u <= UInt64(Int64.max) ? .int(Int64(u)) : .uint(u)
        case .double(let d):
            if let i = Int64(exactly: d) { return .int(i) }
            if let u = UInt64(exactly: d) { return .uint(u) }
            return .double(d.bitPattern)
        case .string(let h): return .string(ExactString(heap.strings[Int(h)]))
        default: return .other
        }
    }
}

/// A CEL map: insertion-ordered entries with a hash index by normalised key.
public struct MapObject: Sendable {
    public var keys: [Value] = []
    public var values: [Value] = []
    var index: [MapKey: Int] = [:]

    public init() {}

    public var count: Int { keys.count }
}

/// A string compared and hashed by its Unicode scalars (UTF-8 bytes), as CEL requires;
/// Swift's own `String` equality applies canonical equivalence, which CEL does not.
public struct ExactString: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
