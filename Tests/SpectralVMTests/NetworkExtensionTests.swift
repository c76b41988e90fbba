import SpectralTestSupport
import Testing
@testable import SpectralVM

@Suite struct IPAddressParsingTests {
    func text(_ input: String) -> String? {
        guard case .success(let address) = IPAddress.parse(input) else { return nil }
        return address.description
    }

    func failure(_ input: String) -> IPParseFailure? {
        guard case .failure(let failure) = IPAddress.parse(input) else { return nil }
        return failure
    }

    @Test(arguments: [
        ("192.168.0.1", "192.168.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:DB8::68", "2001:db8::68"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),   // the first of equal runs shortens
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), // a single zero group stays
        ("::1.2.3.4", "::102:304"),                      // IPv4-compatible, not mapped
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("::ffff:c0a8:1", "192.168.0.1"),                // hex IPv4-mapped becomes IPv4
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func parsesAndPrintsCanonically(_ input: String, _ expected: String) {
        #expect(text(input) == expected)
    }

    @Test(arguments: [
        "", ".", "1.2.3", "1.2.3.4.5", "192.168.0.1.0", "256.0.0.1", "01.2.3.4", "1.2.3.04", "1..2.3",
        "1.2.3.4 ", " 1.2.3.4", "+1.2.3.4", "1.2.3.-4", ":", ":1", "1:", ":::", "1:::2", "2001:db8:::68",
        "2001::db8::1", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "1:2:3:4:5:6:7:8::",
        "::1.2.3", "1.2.3.4::", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "g::1", "١.٢.٣.٤",
        String(repeating: "1", count: 100_000),
    ])
    func rejectsMalformed(_ input: String) {
        #expect(failure(input) == .malformed)
    }

    @Test func rejectsZonesAndDottedMappedAddresses() {
        #expect(failure("fe80::1%en0") == .zone)
        #expect(failure("::ffff:192.168.0.1") == .mappedIPv4)
        #expect(failure("::FFFF:1.2.3.4") == .mappedIPv4)
        #expect(failure("1.2.3.4%en0") == .malformed)
        #expect(failure("fe80::1%") == .malformed)
    }

    @Test func parsesPrefixes() {
        func prefix(_ input: String) -> String? {
            guard case .success(let (address, length)) = IPAddress.parsePrefix(input) else { return nil }
            return "\(address)/\(length)"
        }
        #expect(prefix("192.168.0.1/24") == "192.168.0.1/24")
        #expect(prefix("0.0.0.0/0") == "0.0.0.0/0")
        #expect(prefix("2001:DB8::/32") == "2001:db8::/32")
        #expect(prefix("::/128") == "::/128")
        #expect(prefix("::ffff:c0a8:0/120") == "192.168.0.0/24")
        for bad in ["192.168.0.0/", "192.168.0.0", "/24", "10.0.0.0/33", "::/129", "10.0.0.0/08",
                    "10.0.0.0/+8", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/ 8", "10.0.0.0/1000"] {
            #expect(prefix(bad) == nil, "\(bad)")
        }
        guard case .failure(.zone) = IPAddress.parsePrefix("fe80::1%en0/24") else { Issue.record("zone"); return }
        guard case .failure(.mappedIPv4) = IPAddress.parsePrefix("::ffff:192.168.0.1/24") else {
            Issue.record("dotted mapped"); return
        }
        guard case .failure(.mappedIPv4) = IPAddress.parsePrefix("::ffff:c0a8:0/64") else { Issue.record("short mapped"); return }
    }

    /// Random text over the characters addresses are made of: parsing never traps, and
    /// whatever parses prints as text that parses back to the same address.
    @Test func randomTextParsesSafelyAndRoundTrips() {
        var generator = SplitMix64(seed: 0x5EC7_4A1)
        let alphabet = Array("0123456789abcdefABCDEF::::....%/")
        var parsed = 0
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 24)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            if case .success(let address) = IPAddress.parse(text) {
                parsed += 1
                #expect(IPAddress.parse(address.description) == .success(address), "\(text)")
            }
            if case .success(let (address, length)) = IPAddress.parsePrefix(text) {
                #expect(length <= address.bytes.count * 8, "\(text)")
            }
        }
        #expect(parsed > 0)
    }

    @Test func masksAndContains() {
        let net = IPAddress(bytes: [192, 168, 1, 5])
        #expect(net.masked(to: 24).description == "192.168.1.0")
        #expect(net.masked(to: 0).description == "0.0.0.0")
        #expect(net.masked(to: 23).description == "192.168.0.0")
        #expect(net.masked(to: 32) == net)
        #expect(net.prefix(length: 24, contains: IPAddress(bytes: [192, 168, 1, 200])))
        #expect(!net.prefix(length: 24, contains: IPAddress(bytes: [192, 168, 2, 1])))
        #expect(!IPAddress(bytes: [UInt8](repeating: 0, count: 16)).prefix(length: 0, contains: net))
        #expect(net.prefix(length: 24, containsPrefix: IPAddress(bytes: [192, 168, 1, 128]), length: 25))
        #expect(!net.prefix(length: 24, containsPrefix: IPAddress(bytes: [192, 168, 0, 0]), length: 23))
    }
}

@Suite struct NetworkExtensionTests {
    @Test func constructorsAndConversions() throws {
        var h = Harness()
        let address = try h.call("ip", [h.str("2001:DB8::68")]).value
        #expect(try h.call("string", [address]).text == "2001:db8::68")
        let prefix = try h.call("cidr", [h.str("192.168.0.1/24")]).value
        #expect(try h.call("string", [prefix]).text == "192.168.0.1/24")
        #expect(try h.method(prefix, "masked").value.typeKind == .cidr)
        #expect(try h.call("string", [h.method(prefix, "masked").value]).text == "192.168.0.0/24")
        #expect(try h.call("string", [h.method(prefix, "ip").value]).text == "192.168.0.1")
        #expect(try h.method(prefix, "prefixLength").int == 24)
        #expect(try h.method(address, "family").int == 6)
    }

    @Test func invalidInputIsAnErrorValue() throws {
        var h = Harness()
        #expect(try h.call("ip", [h.str("192.168.0.1.0")]).error?.contains("parse error") == true)
        #expect(try h.call("ip", [h.str("fe80::1%en0")]).error == "IP Address with zone value is not allowed")
        #expect(try h.call("ip", [h.str("::ffff:192.168.0.1")]).error == "IPv4-mapped IPv6 address is not allowed")
        #expect(try h.call("cidr", [h.str("192.168.0.0/")]).error?.contains("parse error") == true)
        #expect(try h.call("cidr", [h.str("fe80::1%en0/24")]).error == "CIDR with zone value is not allowed")
        #expect(try h.call("ip.isCanonical", [h.str("127.0.0.1.0")]).error != nil)
        #expect(try h.call("ip", [.int(1)]).error != nil)
        #expect(try h.call("isIP", [.int(1)]).error != nil)
        let prefix = try h.call("cidr", [h.str("10.0.0.0/8")]).value
        #expect(try h.method(prefix, "containsIP", h.str("10.0.0.256")).error != nil)
        #expect(try h.method(prefix, "containsCIDR", h.str("10.0.0.0/33")).error != nil)
        #expect(try h.method(prefix, "containsIP", .int(1)).error != nil)
        #expect(try h.method(prefix, "family").error != nil)
        // A huge argument is refused without being echoed whole.
        let huge = h.str(String(repeating: "9", count: 1_000_000))
        #expect(try h.call("ip", [huge]).error!.utf8.count < 300)
        #expect(try h.call("isCIDR", [huge]).bool == false)
    }

    @Test func validators() throws {
        var h = Harness()
        #expect(try h.call("isIP", [h.str("::1")]).bool == true)
        #expect(try h.call("isIP", [h.str("::1%lo")]).bool == false)
        #expect(try h.call("isCIDR", [h.str("::1/128")]).bool == true)
        #expect(try h.call("isCIDR", [h.str("::1")]).bool == false)
        #expect(try h.call("ip.isCanonical", [h.str("2001:db8::1")]).bool == true)
        #expect(try h.call("ip.isCanonical", [h.str("2001:DB8::1")]).bool == false)
        #expect(try h.call("ip.isCanonical", [h.str("2001:db8:0:0:0:0:0:1")]).bool == false)
        #expect(try h.call("ip.isCanonical", [h.str("::ffff:c0a8:1")]).bool == false)
    }

    @Test(arguments: [
        // address, unspecified, loopback, global unicast, link-local multicast, link-local unicast
        ("0.0.0.0", true, false, false, false, false),
        ("127.0.0.1", false, true, false, false, false),
        ("192.168.0.1", false, false, true, false, false),
        ("255.255.255.255", false, false, false, false, false),
        ("224.0.0.1", false, false, false, true, false),
        ("224.0.1.1", false, false, false, false, false),
        ("169.254.169.254", false, false, false, false, true),
        ("::", true, false, false, false, false),
        ("::1", false, true, false, false, false),
        ("2001:db8::1", false, false, true, false, false),
        ("ff00::1", false, false, false, false, false),
        ("ff02::1", false, false, false, true, false),
        ("ff12::1", false, false, false, true, false),
        ("fe80::1", false, false, false, false, true),
        ("febf::1", false, false, false, false, true),
        ("fec0::1", false, false, true, false, false),
    ])
    func classifies(_ text: String, _ unspecified: Bool, _ loopback: Bool, _ global: Bool,
                    _ multicast: Bool, _ linkLocal: Bool) throws {
        guard case .success(let address) = IPAddress.parse(text) else { Issue.record("parse \(text)"); return }
        #expect(address.isUnspecified == unspecified)
        #expect(address.isLoopback == loopback)
        #expect(address.isGlobalUnicast == global)
        #expect(address.isLinkLocalMulticast == multicast)
        #expect(address.isLinkLocalUnicast == linkLocal)
    }
}
