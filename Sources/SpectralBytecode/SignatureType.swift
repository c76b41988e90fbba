/// A parameter or result type in a library function's signature, as the compiler and
/// the VM both read it: the checker turns it into its own `CELType`; the VM into the
/// runtime kinds an argument may have (`dyn` and type parameters admit any kind).
///
/// It lives here, below both, because the library table that carries it lives in the
/// VM (beside each implementation) and the compiler must read it without linking the VM.
public indirect enum SignatureType: Hashable, Sendable {
    case dyn
    case null
    case bool, int, uint, double, string, bytes
    case timestamp, duration
    case list(SignatureType)
    case map(SignatureType, SignatureType)
    /// The type of a type value: `type(A)`.
    case type(SignatureType)
    /// A type parameter (`A`, `K`), bound per call by the checker.
    case param(String)
    /// A named abstract type: `optional_type(A)`, `net.IP`.
    case abstract(String, [SignatureType])

    /// `optional_type(wrapped)`.
    public static func optional(_ wrapped: SignatureType) -> SignatureType { .abstract("optional_type", [wrapped]) }
    public static let ip = SignatureType.abstract("net.IP", [])
    public static let cidr = SignatureType.abstract("net.CIDR", [])
}
