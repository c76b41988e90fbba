/// Checker declarations for CEL's network extension (cel-go `ext.Network()`, overload ids
/// as there). `net.IP` and `net.CIDR` are opaque: abstract types without parameters,
/// compared with `==` and named as values (`type(ip('::1')) == net.IP`).
public enum NetworkExtensionDeclarations {
    public static let ip = CELType.abstract("net.IP", [])
    public static let cidr = CELType.abstract("net.CIDR", [])

    /// The type a type name denotes, for the extension's own type names.
    static func type(named name: String) -> CELType? {
        switch name {
        case "net.IP": return ip
        case "net.CIDR": return cidr
        default: return nil
        }
    }

    public static let functions: [FunctionDecl] = [
        FunctionDecl("ip", [
            Overload("string_to_ip", [.string], ip),
            Overload("cidr_ip", [cidr], ip, receiver: true),
        ]),
        FunctionDecl("cidr", [Overload("string_to_cidr", [.string], cidr)]),
        FunctionDecl("isIP", [Overload("is_ip", [.string], .bool)]),
        FunctionDecl("isCIDR", [Overload("is_cidr", [.string], .bool)]),
        FunctionDecl("ip.isCanonical", [Overload("ip_is_canonical", [.string], .bool)]),
        FunctionDecl("string", [
            Overload("ip_to_string", [ip], .string),
            Overload("cidr_to_string", [cidr], .string),
        ]),
        FunctionDecl("family", [Overload("ip_family", [ip], .int, receiver: true)]),
        ipPredicate("isUnspecified", "ip_is_unspecified"),
        ipPredicate("isLoopback", "ip_is_loopback"),
        ipPredicate("isGlobalUnicast", "ip_is_global_unicast"),
        ipPredicate("isLinkLocalMulticast", "ip_is_link_local_multicast"),
        ipPredicate("isLinkLocalUnicast", "ip_is_link_local_unicast"),
        FunctionDecl("containsIP", [
            Overload("cidr_contains_ip", [cidr, ip], .bool, receiver: true),
            Overload("cidr_contains_ip_string", [cidr, .string], .bool, receiver: true),
        ]),
        FunctionDecl("containsCIDR", [
            Overload("cidr_contains_cidr", [cidr, cidr], .bool, receiver: true),
            Overload("cidr_contains_cidr_string", [cidr, .string], .bool, receiver: true),
        ]),
        FunctionDecl("masked", [Overload("cidr_masked", [cidr], cidr, receiver: true)]),
        FunctionDecl("prefixLength", [Overload("cidr_prefix_length", [cidr], .int, receiver: true)]),
    ]

    private static func ipPredicate(_ name: String, _ id: String) -> FunctionDecl {
        FunctionDecl(name, [Overload(id, [ip], .bool, receiver: true)])
    }
}
