/// An instant, as seconds and nanoseconds since 1970-01-01T00:00:00Z
/// (protobuf's `google.protobuf.Timestamp` layout: `nanos` is always
/// non-negative and counts forward, even before the epoch).
///
/// CEL restricts timestamps to the range that RFC 3339 can print:
/// 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59.999999999Z. Every operation
/// that produces a timestamp checks that range; the fields are public for the
/// VM's convenience, so operations also tolerate (and reject) invalid values
/// built by hand rather than trapping.
public struct Timestamp: Hashable, Comparable, Sendable {
    public var seconds: Int64
    public var nanos: Int32

    /// 0001-01-01T00:00:00Z
    public static let minSeconds: Int64 = -62_135_596_800
    /// 9999-12-31T23:59:59Z
    public static let maxSeconds: Int64 = 253_402_300_799

    public static let min = Timestamp(unchecked: minSeconds, 0)
    public static let max = Timestamp(unchecked: maxSeconds, 999_999_999)

    /// Validating initialiser: throws when out of CEL's range or when `nanos`
    /// is not in 0..<1e9.
    public init(seconds: Int64, nanos: Int32 = 0) throws(TimeError) {
        guard nanos >= 0, nanos < 1_000_000_000 else { throw TimeError("timestamp nanos out of range") }
        guard seconds >= Timestamp.minSeconds, seconds <= Timestamp.maxSeconds else {
            throw TimeError.range("timestamp")
        }
        self.seconds = seconds
        self.nanos = nanos
    }

    init(unchecked seconds: Int64, _ nanos: Int32) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// CEL's `timestamp(int)`: seconds since the epoch.
    public init(unixSeconds: Int64) throws(TimeError) {
        try self.init(seconds: unixSeconds, nanos: 0)
    }

    /// CEL's `int(timestamp)`: whole seconds since the epoch (floor, as the
    /// nanos always count forward).
    public var unixSeconds: Int64 { seconds }

    public var isValid: Bool {
        nanos >= 0 && nanos < 1_000_000_000 && seconds >= Timestamp.minSeconds && seconds <= Timestamp.maxSeconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    // MARK: Arithmetic

    /// `timestamp + duration`
    public func adding(_ d: Duration) throws(TimeError) -> Timestamp {
        guard isValid else { throw TimeError.range("timestamp") }
        let dn = try d.normalized()
        // Both second counts are far below Int64.max (|d| < 2^34 s), but stay
        // checked anyway: the fields are public.
        let (s, o) = seconds.addingReportingOverflow(dn.seconds)
        guard !o else { throw TimeError.range("timestamp") }
        var secs = s
        var ns = Int64(nanos) + Int64(dn.nanos)             // (-1e9, 2e9)
        if ns >= 1_000_000_000 { ns -= 1_000_000_000; secs += 1 }
        if ns < 0 { ns += 1_000_000_000; secs -= 1 }
        return try Timestamp(seconds: secs, nanos: Int32(ns))
    }

    /// `timestamp - duration`
    public func subtracting(_ d: Duration) throws(TimeError) -> Timestamp {
        try adding(d.negated())
    }

    /// `timestamp - timestamp`; the result must fit a CEL duration (±~292 years).
    public func subtracting(_ other: Timestamp) throws(TimeError) -> Duration {
        guard isValid, other.isValid else { throw TimeError.range("timestamp") }
        let secs = seconds - other.seconds                  // valid range: no overflow
        let ns = Int64(nanos) - Int64(other.nanos)
        return try Duration(seconds: secs, nanos: ns)
    }

    public static func + (lhs: Timestamp, rhs: Duration) throws(TimeError) -> Timestamp { try lhs.adding(rhs) }
    public static func + (lhs: Duration, rhs: Timestamp) throws(TimeError) -> Timestamp { try rhs.adding(lhs) }
    public static func - (lhs: Timestamp, rhs: Duration) throws(TimeError) -> Timestamp { try lhs.subtracting(rhs) }
    public static func - (lhs: Timestamp, rhs: Timestamp) throws(TimeError) -> Duration { try lhs.subtracting(rhs) }

    // MARK: Calendar fields

    /// Breaks the instant into calendar fields in UTC.
    public func utcFields() throws(TimeError) -> CivilFields {
        try fields(offsetSeconds: 0)
    }

    /// Breaks the instant into calendar fields in `zone` (CEL's accessors with
    /// a time-zone argument).
    public func fields(in zone: TimeZoneID) throws(TimeError) -> CivilFields {
        guard isValid else { throw TimeError.range("timestamp") }
        return try fields(offsetSeconds: zone.utcOffset(atUnixSeconds: seconds))
    }

    /// One CEL accessor, in UTC when `zone` is nil.
    public func value(of accessor: TimestampAccessor, in zone: TimeZoneID? = nil) throws(TimeError) -> Int64 {
        let f = if let zone { try fields(in: zone) } else { try utcFields() }
        return f.value(of: accessor)
    }

    func fields(offsetSeconds: Int32) throws(TimeError) -> CivilFields {
        guard isValid else { throw TimeError.range("timestamp") }
        // Offsets are bounded (|offset| < 1 day by construction), so no overflow.
        let local = seconds + Int64(offsetSeconds)
        let (days, secOfDay) = Civil.floorDiv(local, 86_400)
        let date = Civil.civilFromDays(days)
        let jan1 = Civil.daysFromCivil(year: date.year, month: 1, day: 1)
        return CivilFields(
            year: date.year, month: date.month, day: date.day,
            hour: Int(secOfDay / 3600), minute: Int(secOfDay / 60 % 60), second: Int(secOfDay % 60),
            nanosecond: nanos,
            dayOfWeek: Civil.weekday(days: days),
            dayOfYear: Int(days - jan1),
            utcOffsetSeconds: offsetSeconds)
    }
}
