/// Values that are neither scalars nor collections live in the heap as objects: optional
/// values (`optional.of(x)`, `optional.none()`) and the network extension's addresses and
/// prefixes. A `Value.object` names the kind inline, so `type()` and overload dispatch need
/// no heap access, and the payload by index.
public enum ObjectKind: UInt8, Sendable {
    case optional
    case ip
    case cidr

    public var typeKind: TypeKind {
        switch self {
        case .optional: return .optionalType
        case .ip: return .ip
        case .cidr: return .cidr
        }
    }
}

public enum HeapObject: Sendable {
    /// `optional.of(value)`, or `optional.none()` when nil.
    case optional(Value?)
    case ip(IPAddress)
    /// An address prefix: the address as written and the prefix length in bits.
    case cidr(IPAddress, prefixLength: Int)

    var kind: ObjectKind {
        switch self {
        case .optional: return .optional
        case .ip: return .ip
        case .cidr: return .cidr
        }
    }
}

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
public struct IPAddress: Sendable, Hashable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var isIPv4: Bool { bytes.count == 4 }
}

extension IPAddress: CustomStringConvertible {
    /// Dotted decimal for IPv4; for IPv6, eight groups of hexadecimal with the longest run
    /// of zero groups (two or more) shortened to `::` (RFC 5952).
    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = (0..<8).map { Int(bytes[2 * $0]) << 8 | Int(bytes[2 * $0 + 1]) }
        var bestStart = -1, bestLength = 1, start = -1
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if start < 0 { start = index }
            } else if start >= 0 {
                if index - start > bestLength { bestStart = start; bestLength = index - start }
                start = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
