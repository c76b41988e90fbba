/// The non-arithmetic operators: comparison, membership, indexing, field selection,
/// logical combination. Each takes runtime values and returns a value (possibly a CEL
/// error); errors in operands propagate.
enum Operators {
    static func equal(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        if a.isError { return a }
        if b.isError { return b }
        return .bool(chargedEquals(a, b, &heap))
    }

    static func notEqual(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        if a.isError { return a }
        if b.isError { return b }
        return .bool(!chargedEquals(a, b, &heap))
    }

    /// Equality with its work charged as fuel (deep comparisons cost what they do). The
    /// instruction's price covers the first unit, comparing the two values themselves, so
    /// that two scalars cost the same on the typed fast paths and off them.
    @inline(__always)
    static func chargedEquals(_ a: Value, _ b: Value, _ heap: inout Heap) -> Bool {
        var work = 0
        let result = Equality.equals(a, b, in: heap, work: &work)
        heap.chargeWork(elements: work - 1)
        return result
    }

    /// Ordering strings or bytes reads at most the shorter operand (and one more byte),
    /// so that is what is charged: a comparison with a constant costs no more than the
    /// constant's size, which lets the static bound price it whatever the input. Other
    /// kinds compare in constant time or not at all (lists and maps have no order).
    @inline(__always)
    static func chargeComparison(_ a: Value, _ b: Value, _ heap: inout Heap) {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            heap.chargeWork(bytes: min(heap.strings[Int(x)].utf8.count, heap.strings[Int(y)].utf8.count))
        case (.bytes(let x), .bytes(let y)):
            heap.chargeWork(bytes: min(heap.bytes[Int(x)].count, heap.bytes[Int(y)].count))
        default: break
        }
    }

    enum Relation { case less, lessOrEqual, greater, greaterOrEqual }

    static func relation(_ relation: Relation, _ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        if a.isError { return a }
        if b.isError { return b }
        chargeComparison(a, b, &heap)
        guard let order = Ordering.compare(a, b, in: heap) else {
            return heap.makeError("no such overload: \(a.typeKind.name) \(relation) \(b.typeKind.name)")
        }
        switch (relation, order) {
        case (_, .unordered): return .bool(false)
        case (.less, .less), (.lessOrEqual, .less), (.lessOrEqual, .equal),
             (.greater, .greater), (.greaterOrEqual, .greater), (.greaterOrEqual, .equal):
            return .bool(true)
        default: return .bool(false)
        }
    }

    /// `element in collection`: list membership by equality, map key presence.
    static func contains(_ element: Value, _ collection: Value, _ heap: inout Heap) -> Value {
        if element.isError { return element }
        switch collection {
        case .list(let h):
            var work = 0
            defer { heap.chargeWork(elements: work) }
            for item in heap.lists[Int(h)] where Equality.equals(element, item, in: heap, work: &work) { return .bool(true) }
            return .bool(false)
        case .map(let h):
            return .bool(heap.lookup(element, inMap: h) != nil)
        case .error: return collection
        default:
            return heap.makeError("no such overload: \(element.typeKind.name) in \(collection.typeKind.name)")
        }
    }

    /// A list index as a position, or the value `l[key]` is instead: the key's own error,
    /// or an error for a key that is not an integral number.
    enum ListPosition {
        case position(Int64)
        case failure(Value)
    }

    /// Shared by `l[i]` and `l[?i]` (`notation` is `[` or `[?`, for the message).
    @inline(__always)
    static func listPosition(_ key: Value, _ heap: inout Heap, notation: String) -> ListPosition {
        switch key {
        case .int(let i): return .position(i)
        case .uint(let u): return .position(u > UInt64(Int64.max) ? -1 : Int64(u))
        case .double(let d):
            guard let i = Int64(exactly: d) else { return .failure(heap.makeError("invalid list index: \(d)")) }
            return .position(i)
        case .error: return .failure(key)
        default: return .failure(heap.makeError("no such overload: list\(notation)\(key.typeKind.name)]"))
        }
    }

    /// The error for a key no map can hold (aggregates, null, bytes, times, types, objects), else nil.
    @inline(__always)
    static func unsupportedMapKey(_ key: Value, _ heap: inout Heap) -> Value? {
        switch key {
        case .list, .map, .null, .bytes, .timestamp, .duration, .type, .object:
            return heap.makeError("unsupported map key type: \(key.typeKind.name)")
        default: return nil
        }
    }

    /// `operand[key]`.
    static func index(_ operand: Value, _ key: Value, _ heap: inout Heap) -> Value {
        switch operand {
        case .list(let h):
            let list = heap.lists[Int(h)]
            let position: Int64
            switch listPosition(key, &heap, notation: "[") {
            case .position(let p): position = p
            case .failure(let error): return error
            }
            guard position >= 0 && position < Int64(list.count) else {
                return heap.makeError("index out of bounds: \(position), list size \(list.count)")
            }
            return list[Int(position)]
        case .map(let h):
            if key.isError { return key }
            if let error = unsupportedMapKey(key, &heap) { return error }
            if let value = heap.lookup(key, inMap: h) { return value }
            return heap.makeError("no such key: \(Printer.describe(key, in: heap))")
        case .error: return operand
        default:
            if key.isError { return key }
            return heap.makeError("no such overload: \(operand.typeKind.name)[\(key.typeKind.name)]")
        }
    }

    /// `operand.field` on a map.
    static func select(_ operand: Value, _ field: String, _ heap: inout Heap) -> Value {
        switch operand {
        case .map(let h):
            if let value = heap.lookup(field: field, inMap: h) { return value }
            return heap.makeError("no such key: \(field)")
        case .error: return operand
        default:
            return heap.makeError("type '\(operand.typeKind.name)' does not support field selection")
        }
    }

    /// `has(operand.field)`.
    static func has(_ operand: Value, _ field: String, _ heap: inout Heap) -> Value {
        switch operand {
        case .map(let h): return .bool(heap.lookup(field: field, inMap: h) != nil)
        case .error: return operand
        case .object(.optional, _): return OptionalValues.has(operand, field, &heap) ?? .bool(false)
        default:
            return heap.makeError("type '\(operand.typeKind.name)' does not support field selection")
        }
    }

    /// The right-hand side of `&&`, after the left side was found not to be `false`:
    /// false wins over errors, errors over true, and non-booleans are errors.
    static func and(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        if case .bool(false) = a { return a }
        if case .bool(false) = b { return b }
        if case .bool(true) = a, case .bool(true) = b { return b }
        if a.isError { return a }
        if b.isError { return b }
        if case .bool = a { return heap.makeError("no matching overload for '_&&_' applied to \(b.typeKind.name)") }
        return heap.makeError("no matching overload for '_&&_' applied to \(a.typeKind.name)")
    }

    static func or(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        if case .bool(true) = a { return a }
        if case .bool(true) = b { return b }
        if case .bool(false) = a, case .bool(false) = b { return b }
        if a.isError { return a }
        if b.isError { return b }
        if case .bool = a { return heap.makeError("no matching overload for '_||_' applied to \(b.typeKind.name)") }
        return heap.makeError("no matching overload for '_||_' applied to \(a.typeKind.name)")
    }

    static func not(_ a: Value, _ heap: inout Heap) -> Value {
        switch a {
        case .bool(let b): return .bool(!b)
        case .error: return a
        default: return heap.makeError("no such overload: !\(a.typeKind.name)")
        }
    }
}
