/// A decision's id: a UUIDv7 (RFC 9562 §5.7). The first 48 bits are the Unix time in
/// milliseconds, so ids sort by when they were made (the log lists and pages by them), and
/// the rest is a version, a variant and randomness, so ids made by different processes do
/// not collide. Held as two words: making, comparing and queueing one allocates nothing;
/// only its text does, when it is needed as a `String`.
public struct DecisionID: Hashable, Comparable, Sendable {
    /// Bytes 0–7, big-endian: `unix_ts_ms` (48), `ver` (4), `rand_a` (12).
    public let high: UInt64
    /// Bytes 8–15, big-endian: `var` (2), `rand_b` (62).
    public let low: UInt64

    /// The length of the canonical text, `8-4-4-4-12` hex digits.
    public static let textLength = 36

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A version-7 id from its fields; bits beyond each field's width are ignored.
    public init(milliseconds: UInt64, randA: UInt16, randB: UInt64) {
        high = (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | UInt64(randA & 0x0FFF)
        low = 0x8000_0000_0000_0000 | randB & 0x3FFF_FFFF_FFFF_FFFF
    }

    public var milliseconds: UInt64 { high >> 16 }

    /// Below every id made at `milliseconds` or later and above every id made earlier (all
    /// its other bits are zero): the cutoff for pruning by age.
    public static func earliest(atMilliseconds milliseconds: UInt64) -> DecisionID {
        DecisionID(high: (milliseconds & 0xFFFF_FFFF_FFFF) << 16, low: 0)
    }
    public var version: Int { Int(high >> 12 & 0xF) }
    /// The RFC 9562 variant is `0b10`.
    public var variant: Int { Int(low >> 62) }
    public var randA: UInt16 { UInt16(high & 0x0FFF) }

    public static func < (a: DecisionID, b: DecisionID) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }

    /// Calls `body` with the canonical lowercase text, formatted into a buffer on the
    /// stack: the decide path writes it into its response without making a `String`.
    public func withText<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.textLength) { buffer in
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { hex in
                var at = 0
                // 32 nibbles, most significant first, with a dash before nibbles 8, 12, 16 and 20.
                for nibble in 0..<32 {
                    if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                        buffer[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    let word = nibble < 16 ? high : low
                    buffer[at] = hex[Int(word >> (60 - 4 * UInt64(nibble % 16)) & 0xF)]
                    at += 1
                }
            }
            return try body(UnsafeBufferPointer(buffer))
        }
    }

    /// The canonical lowercase text, `0190f0a4-…`.
    public var text: String { withText { String(decoding: $0, as: UTF8.self) } }

    /// Parses the canonical text (either case); nil for anything else. Accepts any
    /// version: a stored id is read back as it was written.
    public init?(text: some StringProtocol) {
        var high: UInt64 = 0, low: UInt64 = 0, nibbles = 0, position = 0
        for byte in text.utf8 {
            guard position < Self.textLength else { return nil }
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if nibbles < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            nibbles += 1
        }
        guard position == Self.textLength, nibbles == 32 else { return nil }
        self.init(high: high, low: low)
    }
}

extension DecisionID: CustomStringConvertible {
    public var description: String { text }
}
