/// A resolved CEL time-zone argument. CEL's grammar is
/// `"UTC" | LongTZ | ("+"|"-") hh ":" mm`; cel-go also takes an unsigned
/// `hh:mm` (the conformance suite uses `'02:00'`), so that is accepted too.
public struct TimeZoneID: Sendable {
    enum Kind: Sendable {
        case fixed(Int32)
        case named(ZoneRules)
    }

    let kind: Kind
    /// The text the zone was resolved from.
    public let name: String

    public static let utc = TimeZoneID(kind: .fixed(0), name: "UTC")

    /// Resolves a CEL time-zone string. Named zones are read from the system
    /// tz database (`/usr/share/zoneinfo`) once and cached.
    public static func resolve(_ text: String) throws(TimeError) -> TimeZoneID {
        if text == "UTC" { return .utc }
        if let offset = parseFixedOffset(text) {
            return TimeZoneID(kind: .fixed(offset), name: text)
        }
        let rules = try ZoneCache.shared.rules(named: text)
        return TimeZoneID(kind: .named(rules), name: text)
    }

    /// A zone at a constant offset east of UTC; |offset| must be under a day.
    public static func fixed(offsetSeconds: Int32) throws(TimeError) -> TimeZoneID {
        guard offsetSeconds > -86_400, offsetSeconds < 86_400 else { throw TimeError("time zone offset out of range") }
        return TimeZoneID(kind: .fixed(offsetSeconds), name: "fixed(\(offsetSeconds))")
    }

    /// Seconds east of UTC in effect at the given instant.
    public func utcOffset(atUnixSeconds t: Int64) -> Int32 {
        switch kind {
        case .fixed(let offset): return offset
        case .named(let rules): return rules.utcOffset(at: t)
        }
    }

    public func utcOffset(at timestamp: Timestamp) -> Int32 {
        utcOffset(atUnixSeconds: timestamp.seconds)
    }

    /// `[+-]?hh:mm` with hh < 24 and mm < 60, else nil.
    static func parseFixedOffset(_ text: String) -> Int32? {
        var s = DigitScanner(text)
        let sign = s.sign() ?? 1
        guard let h = s.fixedDigits(2), s.eat(":"), let m = s.fixedDigits(2), s.atEnd,
              h < 24, m < 60 else { return nil }
        return Int32(sign * (h * 3600 + m * 60))
    }
}
