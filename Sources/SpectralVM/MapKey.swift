import SpectralBytecode
import SpectralJSON

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

/// A CEL map: insertion-ordered entries. Small maps (the common case for JSON input)
/// are searched linearly, which beats hashing a handful of keys; larger ones get a hash
/// index by normalised key.
public struct MapObject: Sendable {
    /// The keys, in the order of the values. Empty in the heap for a complete map
    /// (`isComplete`), whose keys are its layout's; `Heap.map` fills them in.
    public var keys: [Value]
    /// The values. Empty in the heap for a laid-out map, whose values are the heap's
    /// `laidOutValues` from `valueStart` on; `Heap.map` fills them in.
    public var values: [Value]
    /// Present only above `indexThreshold` entries (for a laid-out map: above that many
    /// undeclared members).
    var index: [MapKey: Int]?
    /// A JSON object bound by schema: its `FieldLayouts` layout, -1 for any other map.
    /// Its declared fields come first, in the layout's field order, the ones present
    /// marked in `present` (bit i: field i), so field i sits at the position given by
    /// the present fields before it: `select` reads it by index, comparing no key.
    var present: UInt64
    var layout: Int32
    /// A laid-out map's values are the heap's `laidOutValues` from `valueStart` on, as many
    /// as it has entries: trivial values in one array that a reset truncates without
    /// visiting them, and that `select` reads with no branch on where a map keeps them.
    var valueStart: Int32
    /// A complete map: laid out, with every declared field and nothing else, as input
    /// objects usually are. Its keys are its layout's field names, which the heap holds
    /// once (`Heap.layoutKeys`), so it stores none: binding one allocates and retains nothing.
    var isComplete: Bool

    /// Up to this many entries, lookups scan the keys.
    static let indexThreshold = WorkPrice.mapIndexThreshold

    /// A map with no layout. Takes the arrays it is given: a new map's move into it
    /// (`Heap.storeMap`), retaining nothing.
    init(keys: consuming [Value], values: consuming [Value], index: consuming [MapKey: Int]?) {
        self.keys = keys
        self.values = values
        self.index = index
        self.layout = -1
        self.present = 0
        self.valueStart = 0
        self.isComplete = false
    }

    /// A map laid out by `layout` whose values are the heap's `laidOutValues` from
    /// `valueStart` on; `keys` empty when it is complete.
    init(layout: Int32, present: UInt64, keys: [Value], index: [MapKey: Int]?, valueStart: Int, isComplete: Bool) {
        self.keys = keys
        self.values = []
        self.index = index
        self.layout = layout
        self.present = present
        self.valueStart = Int32(valueStart)
        self.isComplete = isComplete
    }

    /// A laid-out map has a key stored for each entry, unless it is complete: one a field.
    public var count: Int { isComplete ? present.nonzeroBitCount : layout >= 0 ? keys.count : values.count }
}

/// A string compared and hashed by its Unicode scalars (UTF-8 bytes), as CEL requires;
/// Swift's own `String` equality applies canonical equivalence, which CEL does not.
public struct ExactString: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        StringBytes.equal(lhs.text, rhs.text)
    }

    public func hash(into hasher: inout Hasher) {
        // Hash the UTF-8 bytes so that equal byte strings hash alike.
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Byte-wise string comparison: CEL compares strings by code points (equivalently, by
/// UTF-8 bytes), never by Swift's canonical equivalence.
enum StringBytes {
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool {
        // `utf8.count` is O(1) for native strings, so unequal lengths exit at once.
        guard a.utf8.count == b.utf8.count else { return false }
        return equalOfSameLength(a, b)
    }

    /// Two strings whose UTF-8 lengths the caller has found equal.
    @inline(__always)
    static func equalOfSameLength(_ a: String, _ b: String) -> Bool {
        withBytes(of: a) { x in withBytes(of: b) { y in ByteComparison.equal(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
    }

    /// A string against UTF-8 bytes of the same length.
    @inline(__always)
    static func equal(_ a: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        withBytes(of: a) { ByteComparison.equal(UnsafeRawBufferPointer($0), UnsafeRawBufferPointer(bytes)) }
    }

    /// The UTF-8 bytes of `text` in place: `withUTF8` is mutating, so calling it meant
    /// copying the string into a `var` first (a retain and release per comparison).
    @inline(__always)
    static func withBytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text  // bridged strings only; Spectral's strings are always native
        return copy.withUTF8(body)
    }

    /// UTF-8 byte order (negative, zero or positive), which is code point order.
    static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(x.count, y.count)
        var i = 0
        while i < common {
            if x[i] != y[i] { return Int(x[i]) - Int(y[i]) }
            i += 1
        }
        return x.count - y.count
    }
}
