/// A library function's name and the signatures of its overloads.
public struct FunctionSignature: Hashable, Sendable {
    public var name: String
    public var overloads: [OverloadSignature]

    public init(_ name: String, _ overloads: [OverloadSignature]) {
        self.name = name
        self.overloads = overloads
    }
}
