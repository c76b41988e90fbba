/// The network extension's types as the checker names them (cel-go `ext.Network()`; its
/// functions are declared with their implementations in the library table, SpectralVM's
/// `NetworkExtension`). `net.IP` and `net.CIDR` are opaque: abstract types without
/// parameters, compared with `==` and named as values (`type(ip('::1')) == net.IP`).
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
}
