/// A standard-library function as the interpreter calls it: arguments are read from the
/// register file (receiver first), none of them is an error (the interpreter propagates
/// errors before calling), and new values go to the heap.
public typealias Builtin = @Sendable (_ heap: inout Heap, _ args: UnsafeBufferPointer<Value>) throws(Trap) -> Value

/// The error for argument kinds a function has no overload for.
func noSuchOverload(_ name: String, _ args: UnsafeBufferPointer<Value>, _ heap: inout Heap) -> Value {
    heap.makeError("no such overload: \(name)(\(args.map { $0.typeKind.name }.joined(separator: ", ")))")
}
