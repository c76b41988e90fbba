import SpectralBytecode

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
