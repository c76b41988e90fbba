import Foundation

/// A Unix time in milliseconds as the UTC calendar reads it (proleptic Gregorian), for the
/// texts the decision log writes for every decision: the JSON lines' `created_at` and
/// SQLite's stored time. Computed with integer arithmetic: a `DateFormatter` costs more
/// per record than the rest of the record.
public struct UTCTime: Sendable, Equatable {
    public var year: Int64
    public var month: Int64
    public var day: Int64
    public var hour: Int64
    public var minute: Int64
    public var second: Int64
    public var millisecond: Int64

    /// `milliseconds` since 1970-01-01T00:00:00Z; before it counts back.
    public init(unixMilliseconds milliseconds: Int64) {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        millisecond = milliseconds - seconds * 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
        second = secondOfDay % 60
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `date` to the millisecond, rounded to the nearest: a decision's time is its id's
    /// whole milliseconds divided by 1000, which a `Double` holds a hair either side of.
    public init(_ date: Date) {
        self.init(unixMilliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// `2025-12-06T05:46:40Z`: whole seconds, the milliseconds dropped.
    public var isoSeconds: String {
        "\(paddedYear)-\(Self.two(month))-\(Self.two(day))T\(Self.two(hour)):\(Self.two(minute)):\(Self.two(second))Z"
    }

    /// `2025-12-06 05:46:40.123`: what GRDB stores for a `Date` (`yyyy-MM-dd HH:mm:ss.SSS`, UTC).
    public var sqliteText: String {
        "\(paddedYear)-\(Self.two(month))-\(Self.two(day)) \(Self.two(hour)):\(Self.two(minute)):\(Self.two(second)).\(Self.three(millisecond))"
    }

    private var paddedYear: String {
        year >= 0 && year < 1000 ? String(repeating: "0", count: 4 - "\(year)".count) + "\(year)" : "\(year)"
    }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func three(_ n: Int64) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }
}
