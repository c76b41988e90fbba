import SpectralBytecode

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
