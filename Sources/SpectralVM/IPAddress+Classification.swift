/// Address classes and prefix arithmetic, with the meanings Go's `net/netip` gives them
/// (cel-go's network extension is defined by it).
extension IPAddress {
    public var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }

    /// `127.0.0.0/8` or `::1`.
    public var isLoopback: Bool {
        isIPv4 ? bytes[0] == 127 : bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
    }

    /// `224.0.0.0/4` or `ff00::/8`.
    public var isMulticast: Bool { isIPv4 ? bytes[0] & 0xF0 == 0xE0 : bytes[0] == 0xFF }

    /// `169.254.0.0/16` or `fe80::/10`.
    public var isLinkLocalUnicast: Bool {
        isIPv4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
    }

    /// `224.0.0.0/24`, or `ff02::/16` with any flags (`ffX2::`).
    public var isLinkLocalMulticast: Bool {
        isIPv4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xFF && bytes[1] & 0x0F == 0x02
    }

    /// Neither unspecified, the IPv4 broadcast address, loopback, multicast nor link-local
    /// unicast. Private ranges (`10/8`, `192.168/16`, `fc00::/7`) count as global, as in Go.
    public var isGlobalUnicast: Bool {
        if isIPv4 && bytes == [255, 255, 255, 255] { return false }
        return !isUnspecified && !isLoopback && !isMulticast && !isLinkLocalUnicast
    }

    /// This address with every bit past the first `length` cleared.
    public func masked(to length: Int) -> IPAddress {
        var out = bytes
        for index in out.indices {
            let kept = min(max(length - index * 8, 0), 8)   // leading bits of this byte to keep
            out[index] &= kept == 0 ? 0 : ~UInt8(0) << (8 - kept)
        }
        return IPAddress(bytes: out)
    }

    /// Whether the prefix `self/length` contains `address` (never across families).
    public func prefix(length: Int, contains address: IPAddress) -> Bool {
        address.bytes.count == bytes.count && address.masked(to: length) == masked(to: length)
    }

    /// Whether the prefix `self/length` contains every address of `other/otherLength`:
    /// the same family, no longer, and covering the other's network address.
    public func prefix(length: Int, containsPrefix other: IPAddress, length otherLength: Int) -> Bool {
        length <= otherLength && prefix(length: length, contains: other)
    }
}
