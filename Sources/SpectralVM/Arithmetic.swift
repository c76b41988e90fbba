import SpectralBytecode
/// CEL's arithmetic operators over runtime values. Integer overflow, division by zero
/// and operands without an overload are CEL errors (values), never process traps.
enum Arithmetic {
    static func add(_ a: Value, _ b: Value, _ heap: inout Heap) throws(Trap) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return addInt(x, y, &heap)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            return o ? heap.makeError("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)):
            return try heap.makeString(heap.strings[Int(x)] + heap.strings[Int(y)])
        case (.bytes(let x), .bytes(let y)):
            return try heap.makeBytes(heap.bytes[Int(x)] + heap.bytes[Int(y)])
        case (.list(let x), .list(let y)):
            heap.chargeWork(elements: WorkPrice.listConcatenation)
            return try heap.makeList(heap.lists[Int(x)] + heap.lists[Int(y)])
        case (.timestamp, .duration), (.duration, .timestamp), (.duration, .duration):
            return TimeOperations.add(a, b, &heap)
        default: return noOverload("_+_", a, b, &heap)
        }
    }

    static func subtract(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return subtractInt(x, y, &heap)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            return o ? heap.makeError("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.timestamp, .timestamp), (.timestamp, .duration), (.duration, .duration):
            return TimeOperations.subtract(a, b, &heap)
        default: return noOverload("_-_", a, b, &heap)
        }
    }

    static func multiply(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return multiplyInt(x, y, &heap)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? heap.makeError("unsigned integer overflow") : .uint(r)
        case (.double(let x), .double(let y)): return .double(x * y)
        default: return noOverload("_*_", a, b, &heap)
        }
    }

    static func divide(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return divideInt(x, y, &heap)
        case (.uint(let x), .uint(let y)):
            return y == 0 ? heap.makeError("division by zero") : .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default: return noOverload("_/_", a, b, &heap)
        }
    }

    static func remainder(_ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)): return remainderInt(x, y, &heap)
        case (.uint(let x), .uint(let y)):
            return y == 0 ? heap.makeError("modulus by zero") : .uint(x % y)
        default: return noOverload("_%_", a, b, &heap)
        }
    }

    static func negate(_ a: Value, _ heap: inout Heap) -> Value {
        switch a {
        case .int(let x):
            return x == .min ? heap.makeError("integer overflow") : .int(-x)
        case .double(let x): return .double(-x)
        case .error: return a
        default: return heap.makeError("no such overload: -\(a.typeKind.name)")
        }
    }

    // MARK: Typed integer operations (shared by the typed opcodes)

    @inline(__always)
    static func addInt(_ x: Int64, _ y: Int64, _ heap: inout Heap) -> Value {
        let (r, o) = x.addingReportingOverflow(y)
        return o ? heap.makeError("integer overflow") : .int(r)
    }

    @inline(__always)
    static func subtractInt(_ x: Int64, _ y: Int64, _ heap: inout Heap) -> Value {
        let (r, o) = x.subtractingReportingOverflow(y)
        return o ? heap.makeError("integer overflow") : .int(r)
    }

    @inline(__always)
    static func multiplyInt(_ x: Int64, _ y: Int64, _ heap: inout Heap) -> Value {
        let (r, o) = x.multipliedReportingOverflow(by: y)
        return o ? heap.makeError("integer overflow") : .int(r)
    }

    @inline(__always)
    static func divideInt(_ x: Int64, _ y: Int64, _ heap: inout Heap) -> Value {
        if y == 0 { return heap.makeError("division by zero") }
        if x == .min && y == -1 { return heap.makeError("integer overflow") }
        return .int(x / y)
    }

    @inline(__always)
    static func remainderInt(_ x: Int64, _ y: Int64, _ heap: inout Heap) -> Value {
        if y == 0 { return heap.makeError("modulus by zero") }
        if x == .min && y == -1 { return heap.makeError("integer overflow") }
        return .int(x % y)
    }

    /// The error for operand types the operator has no overload for (errors propagate first).
    static func noOverload(_ op: String, _ a: Value, _ b: Value, _ heap: inout Heap) -> Value {
        if a.isError { return a }
        if b.isError { return b }
        return heap.makeError("no such overload: \(a.typeKind.name) \(op) \(b.typeKind.name)")
    }
}
