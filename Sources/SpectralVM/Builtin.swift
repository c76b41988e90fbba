/// A standard-library function as the interpreter calls it: arguments are read from the
/// register file (receiver first), none of them is an error (the interpreter propagates
/// errors before calling), and new values go to the heap.
public typealias Builtin = @Sendable (_ heap: inout Heap, _ args: UnsafeBufferPointer<Value>) throws(Trap) -> Value
