/// One overload of a library function: the id the checker resolves a call to (and the
/// module records), its parameters (a receiver is the first) and its result.
public struct OverloadSignature: Hashable, Sendable {
    public var id: String
    public var parameters: [SignatureType]
    public var result: SignatureType
    /// Called as `target.name(...)` rather than `name(...)`.
    public var receiver: Bool

    public init(_ id: String, _ parameters: [SignatureType], _ result: SignatureType, receiver: Bool = false) {
        self.id = id
        self.parameters = parameters
        self.result = result
        self.receiver = receiver
    }
}
