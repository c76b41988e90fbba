import SpectralCompiler
import SpectralSyntax
import Testing

/// The network extension's declarations: opaque `net.IP` / `net.CIDR`, their type names
/// as values, the namespaced `ip.isCanonical`, and overloads that reject the wrong type.
@Suite struct NetworkExtensionCheckerTests {
    func check(_ source: String, _ variables: [String: CELType] = [:]) throws -> CheckedExpr {
        try Checker.check(try Parser.parse(source), declarations: Declarations(variables: variables))
    }

    @Test(arguments: [
        ("ip('10.0.0.1')", NetworkExtensionDeclarations.ip),
        ("cidr('10.0.0.0/8')", NetworkExtensionDeclarations.cidr),
        ("cidr('10.0.0.0/8').ip()", NetworkExtensionDeclarations.ip),
        ("cidr('10.0.0.1/8').masked()", NetworkExtensionDeclarations.cidr),
        ("cidr('10.0.0.0/8').prefixLength()", .int),
        ("cidr('10.0.0.0/8').containsIP('10.1.2.3')", .bool),
        ("cidr('10.0.0.0/8').containsCIDR(cidr('10.1.0.0/16'))", .bool),
        ("ip('::1').family()", .int),
        ("ip('::1').isLoopback()", .bool),
        ("string(ip('::1'))", .string),
        ("string(cidr('::/0'))", .string),
        ("isIP('x') && isCIDR('y')", .bool),
        ("ip.isCanonical('::1')", .bool),
        ("type(ip('::1')) == net.IP", .bool),
        ("net.CIDR", .type(NetworkExtensionDeclarations.cidr)),
        ("ip('::1') == ip('::1')", .bool),
    ])
    func infersTypes(_ source: String, _ expected: CELType) throws {
        #expect(try check(source).resultType == expected)
    }

    @Test(arguments: [
        ("isIP(cidr('10.0.0.0/8'))", "found no matching overload for 'isIP' applied to 'isIP(net.CIDR)'"),
        ("ip('::1').containsIP('::1')", "found no matching overload for 'containsIP'"),
        ("ip('::1') == cidr('::/0')", "found no matching overload for '_==_'"),
        ("ip(1)", "found no matching overload for 'ip'"),
    ])
    func rejects(_ source: String, _ message: String) {
        var found: [Diagnostic] = []
        do { _ = try check(source) } catch let failure as CheckFailure { found = failure.diagnostics } catch {}
        #expect(found.contains { $0.message.contains(message) }, "\(found)")
    }

    @Test func aVariableNamedIPShadowsTheNamespace() throws {
        // `ip.isCanonical(...)` is the namespaced function unless `ip` is declared.
        #expect(try check("ip.isCanonical('::1')").references.values.contains(.function("ip.isCanonical")))
        let shadowed = try check("ip.isCanonical", ["ip": .map(.string, .bool)])
        #expect(shadowed.resultType == .bool)
    }
}
