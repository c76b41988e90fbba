import SpectralBytecode
@testable import SpectralVM

/// Calls library builtins directly (the parser and compiler are not needed).
struct Harness {
    var heap = Heap()

    mutating func call(_ name: String, receiver: Bool = false, _ args: [Value]) throws -> Outcome {
        let builtin = Library.resolve(FunctionRef(name: name, arity: UInt8(args.count), receiver: receiver))
        let value = try args.withUnsafeBufferPointer { buffer throws(Trap) in try builtin(&heap, buffer) }
        return Outcome(value: value, heap: heap)
    }

    /// A receiver-style call: `target.name(args)`.
    mutating func method(_ target: Value, _ name: String, _ args: Value...) throws -> Outcome {
        try call(name, receiver: true, [target] + args)
    }

    mutating func str(_ s: String) -> Value { try! heap.makeString(s) }
    mutating func list(_ values: [Value]) -> Value { try! heap.makeList(values) }
    mutating func strings(_ items: [String]) -> Value { list(items.map { str($0) }) }
}

/// A call's result together with the heap it lives in (read after the call, so that
/// `try h.method(...).text` sees the strings the call made).
struct Outcome {
    let value: Value
    let heap: Heap

    var text: String? {
        if case .string(let h) = value { return heap.strings[Int(h)] }
        return nil
    }

    var texts: [String]? {
        guard case .list(let h) = value else { return nil }
        var out: [String] = []
        for element in heap.lists[Int(h)] {
            guard case .string(let s) = element else { return nil }
            out.append(heap.strings[Int(s)])
        }
        return out
    }

    var error: String? {
        if case .error(let h) = value { return heap.errors[Int(h)] }
        return nil
    }

    var int: Int64? {
        if case .int(let i) = value { return i }
        return nil
    }

    var uint: UInt64? {
        if case .uint(let u) = value { return u }
        return nil
    }

    var double: Double? {
        if case .double(let d) = value { return d }
        return nil
    }

    var bool: Bool? {
        if case .bool(let b) = value { return b }
        return nil
    }
}
