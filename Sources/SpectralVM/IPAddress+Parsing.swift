/// Why an address or prefix was refused. The network extension parses strictly, as
/// cel-go and Kubernetes do: no zones, no IPv4 octets with leading zeros, and no
/// IPv4-mapped IPv6 address written with a dotted-decimal tail (`::ffff:1.2.3.4`).
public enum IPParseFailure: Error, Sendable, Equatable {
    case malformed
    /// A scoped address (`fe80::1%eth0`): zones are not allowed.
    case zone
    /// `::ffff:1.2.3.4`: an IPv4 address in IPv6 clothing.
    case mappedIPv4
}

extension IPAddress {
    /// No valid address is longer than `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`
    /// (45 bytes); anything much longer is refused before it is scanned, so parsing is
    /// bounded whatever the input's size.
    static let maxTextLength = 64

    /// Parses an IPv4 address (dotted decimal) or an IPv6 address (RFC 4291 text form).
    ///
    /// An IPv4-mapped IPv6 address written in hexadecimal (`::ffff:c0a8:1`) becomes the
    /// IPv4 address it maps to, so it equals `ip('192.168.0.1')`, as the conformance
    /// corpus requires; the dotted form (`::ffff:192.168.0.1`) is refused.
    public static func parse(_ text: String) -> Result<IPAddress, IPParseFailure> {
        let bytes = Array(text.utf8.prefix(maxTextLength + 1))
        guard bytes.count <= maxTextLength else { return .failure(.malformed) }
        if let percent = bytes.firstIndex(of: UInt8(ascii: "%")) {
            // Report the zone only when what precedes it is a well-formed IPv6 address
            // and a zone name follows; anything else is simply malformed.
            let head = bytes[..<percent]
            guard percent + 1 < bytes.count, head.contains(UInt8(ascii: ":")),
                  parseIPv6(head) != nil else { return .failure(.malformed) }
            return .failure(.zone)
        }
        if bytes.contains(UInt8(ascii: ":")) {
            guard let (address, dotted) = parseIPv6(bytes[...]) else { return .failure(.malformed) }
            guard let mapped = address.unmappedIPv4 else { return .success(address) }
            return dotted ? .failure(.mappedIPv4) : .success(mapped)
        }
        guard let octets = parseIPv4(bytes[...]) else { return .failure(.malformed) }
        return .success(IPAddress(bytes: octets))
    }

    /// Parses a prefix in CIDR notation (`192.168.0.0/24`, `2001:db8::/32`). The address
    /// is kept as written (`cidr('10.1.2.3/8').ip()` is `10.1.2.3`); the length is plain
    /// decimal without sign or leading zeros, at most 32 (IPv4) or 128 (IPv6).
    ///
    /// A hexadecimal IPv4-mapped address becomes IPv4 as in `parse`, its length reduced
    /// by 96; a mapped prefix shorter than 96 bits reaches beyond IPv4 and is refused.
    public static func parsePrefix(_ text: String) -> Result<(IPAddress, prefixLength: Int), IPParseFailure> {
        let bytes = Array(text.utf8.prefix(maxTextLength + 5))
        guard bytes.count <= maxTextLength + 4, let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else {
            return .failure(.malformed)
        }
        let digits = bytes[(slash + 1)...]
        guard (1...3).contains(digits.count),
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              digits.count == 1 || digits.first != UInt8(ascii: "0") else { return .failure(.malformed) }
        let length = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard let head = String(validating: bytes[..<slash], as: UTF8.self) else { return .failure(.malformed) }
        switch parse(head) {
        case .failure(let failure): return .failure(failure)
        case .success(let address):
            let writtenAsIPv6 = head.utf8.contains(UInt8(ascii: ":"))
            if writtenAsIPv6 && address.isIPv4 {
                guard (96...128).contains(length) else { return .failure(length <= 128 ? .mappedIPv4 : .malformed) }
                return .success((address, length - 96))
            }
            guard length <= address.bytes.count * 8 else { return .failure(.malformed) }
            return .success((address, length))
        }
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), if this is one.
    var unmappedIPv4: IPAddress? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else {
            return nil
        }
        return IPAddress(bytes: Array(bytes[12..<16]))
    }

    /// Exactly four decimal octets, each 0...255 with no leading zeros (`010` is
    /// ambiguous: some parsers read it as octal).
    static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var octets: [UInt8] = []
        for field in text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard octets.count < 4, (1...3).contains(field.count),
                  field.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  field.count == 1 || field.first != UInt8(ascii: "0") else { return nil }
            let value = field.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard value <= 255 else { return nil }
            octets.append(UInt8(value))
        }
        return octets.count == 4 ? octets : nil
    }

    /// Up to eight groups of one to four hex digits separated by `:`, at most one `::`
    /// standing for one or more zero groups, and optionally a dotted IPv4 address as the
    /// last 32 bits. Returns the address and whether it had such a dotted tail.
    static func parseIPv6(_ text: ArraySlice<UInt8>) -> (IPAddress, dotted: Bool)? {
        var groups: [UInt16] = []
        var ellipsis: Int?   // the number of groups before `::`
        var dotted = false
        var i = text.startIndex
        let end = text.endIndex
        let colon = UInt8(ascii: ":")
        if text.starts(with: [colon, colon]) {
            ellipsis = 0
            i += 2
        }
        while i < end {
            let start = i
            var value: UInt16 = 0
            while i < end, i - start < 5, let digit = hexValue(text[i]) {
                value = value &<< 4 | UInt16(digit)
                i += 1
            }
            if i < end, text[i] == UInt8(ascii: ".") {
                // The rest is an IPv4 address filling the last two groups.
                guard groups.count <= 6, let octets = parseIPv4(text[start..<end]) else { return nil }
                groups.append(UInt16(octets[0]) << 8 | UInt16(octets[1]))
                groups.append(UInt16(octets[2]) << 8 | UInt16(octets[3]))
                dotted = true
                i = end
                break
            }
            guard (1...4).contains(i - start), groups.count < 8 else { return nil }
            groups.append(value)
            if i == end { break }
            guard text[i] == colon, i + 1 < end else { return nil }   // a lone trailing `:` is malformed
            i += 1
            if text[i] == colon {
                guard ellipsis == nil else { return nil }
                ellipsis = groups.count
                i += 1
            }
        }
        if let ellipsis {
            // `::` must stand for at least one group (RFC 5952; Go's netip agrees).
            guard groups.count < 8 else { return nil }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: ellipsis)
        }
        guard groups.count == 8 else { return nil }
        return (IPAddress(bytes: groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }), dotted)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
