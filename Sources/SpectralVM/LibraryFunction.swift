import SpectralBytecode

/// A standard-library function as the interpreter calls it: arguments are read from the
/// register file (receiver first), none of them is an error (the interpreter propagates
/// errors before calling), and new values go to the heap.
public typealias Builtin = @Sendable (_ heap: inout Heap, _ args: UnsafeBufferPointer<Value>) throws(Trap) -> Value

/// One function of the standard library, declared once: every overload with its
/// signature (what the checker sees) and its implementation (what a call runs).
public struct LibraryFunction: Sendable {
    public let name: String
    public let overloads: [LibraryOverload]

    init(_ name: String, _ overloads: [LibraryOverload]) {
        self.name = name
        self.overloads = overloads
    }

    public var signature: FunctionSignature { FunctionSignature(name, overloads.map(\.signature)) }
}

/// One overload: its signature and the code that runs it. The implementation may assume
/// the argument kinds its parameters name (the checker or the dispatcher chose it for
/// them); it still extracts payloads with a `guard` whose `else` gives "no such
/// overload", so that a hand-made module binding the wrong overload cannot crash the VM.
public struct LibraryOverload: Sendable {
    public let signature: OverloadSignature
    /// Nil for operators the code generator compiles to instructions (`_+_`, `_[_]`):
    /// declared here for the checker, never called.
    let implementation: Builtin?

    /// `name(args)`.
    static func global(_ id: String, _ parameters: [SignatureType], _ result: SignatureType,
                       _ implementation: @escaping Builtin) -> LibraryOverload {
        LibraryOverload(signature: OverloadSignature(id, parameters, result), implementation: implementation)
    }

    /// `target.name(args)`; the receiver is the first parameter.
    static func receiver(_ id: String, _ parameters: [SignatureType], _ result: SignatureType,
                         _ implementation: @escaping Builtin) -> LibraryOverload {
        LibraryOverload(signature: OverloadSignature(id, parameters, result, receiver: true), implementation: implementation)
    }

    /// An operator the code generator always compiles to an instruction.
    static func instruction(_ id: String, _ parameters: [SignatureType], _ result: SignatureType) -> LibraryOverload {
        LibraryOverload(signature: OverloadSignature(id, parameters, result), implementation: nil)
    }
}

/// The error for argument kinds a function has no overload for.
func noSuchOverload(_ name: String, _ args: UnsafeBufferPointer<Value>, _ heap: inout Heap) -> Value {
    heap.makeError("no such overload: \(name)(\(args.map { $0.typeKind.name }.joined(separator: ", ")))")
}
