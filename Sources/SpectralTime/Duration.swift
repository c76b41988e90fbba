/// A signed span of time, stored like protobuf's `google.protobuf.Duration`
/// (`nanos` carries the sign of `seconds`, |nanos| < 1e9).
///
/// Range: CEL's language definition limits durations to what fits in one
/// Int64 of nanoseconds (about ±292 years), and the conformance suite relies
/// on it (`timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')`
/// must fail although it is within protobuf's ±10000 years). So every valid
/// duration converts losslessly to `totalNanoseconds`, which the arithmetic
/// uses with overflow-reporting operations.
public struct Duration: Hashable, Comparable, Sendable {
    public var seconds: Int64
    public var nanos: Int32

    public static let zero = Duration(unchecked: 0, 0)
    public static let max = Duration(nanoseconds: Int64.max)
    public static let min = Duration(nanoseconds: Int64.min)

    init(unchecked seconds: Int64, _ nanos: Int32) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// Exact: every Int64 nanosecond count is a valid duration.
    public init(nanoseconds: Int64) {
        seconds = nanoseconds / 1_000_000_000
        nanos = Int32(nanoseconds % 1_000_000_000)   // same sign as seconds (truncating division)
    }

    /// Validating initialiser; `nanos` may have any sign or size that Int64 holds,
    /// the result is normalised.
    public init(seconds: Int64, nanos: Int64 = 0) throws(TimeError) {
        let (a, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o2) = a.addingReportingOverflow(nanos)
        guard !o1, !o2 else { throw TimeError.range("duration") }
        self.init(nanoseconds: total)
    }

    /// The total length in nanoseconds; throws only for hand-built values that
    /// are outside the range.
    public func totalNanoseconds() throws(TimeError) -> Int64 {
        guard nanos > -1_000_000_000, nanos < 1_000_000_000,
              seconds == 0 || nanos == 0 || (seconds < 0) == (nanos < 0) else {
            throw TimeError("duration nanos out of range")
        }
        let (a, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o2) = a.addingReportingOverflow(Int64(nanos))
        guard !o1, !o2 else { throw TimeError.range("duration") }
        return total
    }

    /// Same value in canonical form, or an error if the fields are invalid.
    func normalized() throws(TimeError) -> Duration {
        Duration(nanoseconds: try totalNanoseconds())
    }

    public static func < (lhs: Duration, rhs: Duration) -> Bool {
        // Canonical values share a sign between the fields, so the pair order
        // is the numeric order.
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    // MARK: Arithmetic

    public func adding(_ other: Duration) throws(TimeError) -> Duration {
        let (r, o) = try totalNanoseconds().addingReportingOverflow(other.totalNanoseconds())
        guard !o else { throw TimeError.range("duration") }
        return Duration(nanoseconds: r)
    }

    public func subtracting(_ other: Duration) throws(TimeError) -> Duration {
        let (r, o) = try totalNanoseconds().subtractingReportingOverflow(other.totalNanoseconds())
        guard !o else { throw TimeError.range("duration") }
        return Duration(nanoseconds: r)
    }

    /// Unary minus; fails only for the most negative duration (-2^63 ns).
    public func negated() throws(TimeError) -> Duration {
        let (r, o) = Int64(0).subtractingReportingOverflow(try totalNanoseconds())
        guard !o else { throw TimeError.range("duration") }
        return Duration(nanoseconds: r)
    }

    public static func + (lhs: Duration, rhs: Duration) throws(TimeError) -> Duration { try lhs.adding(rhs) }
    public static func - (lhs: Duration, rhs: Duration) throws(TimeError) -> Duration { try lhs.subtracting(rhs) }
    public static prefix func - (operand: Duration) throws(TimeError) -> Duration { try operand.negated() }

    // MARK: CEL accessors

    /// `getHours()`: whole hours, truncated toward zero.
    public var hours: Int64 { seconds / 3600 }
    /// `getMinutes()`: whole minutes, truncated toward zero.
    public var minutes: Int64 { seconds / 60 }
    /// `getSeconds()` is the `seconds` field itself (total, truncated).
    /// `getMilliseconds()`: only the millisecond *part* below one second
    /// (`duration('123.321456789s').getMilliseconds() == 321` in the
    /// conformance suite), with the sign of the duration.
    public var milliseconds: Int64 { Int64(nanos / 1_000_000) }
}
