/// Proleptic Gregorian calendar arithmetic on day counts relative to
/// 1970-01-01. The algorithms are the well-known "days from civil" /
/// "civil from days" era-based formulas (400-year cycles of 146097 days),
/// chosen because they are branch-light, exact, and valid for negative years.
///
/// Inputs are bounded by the callers (timestamps are range-checked first and
/// the parser only feeds 4-digit years), so the Int64 arithmetic cannot
/// overflow for any value that reaches these functions.
public enum Civil {
    /// Days since 1970-01-01 of the given date (month 1...12, day 1...31).
    public static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400                                   // [0, 399]
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1  // [0, 365], March-based
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date (year, month 1...12, day 1...31) of a day count since 1970-01-01.
    public static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097                                 // [0, 146096]
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // March-based
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (era * 400 + yearOfEra + (month <= 2 ? 1 : 0), month, day)
    }

    public static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 0 = Sunday. 1970-01-01 was a Thursday (4).
    public static func weekday(days: Int64) -> Int {
        let r = (days + 4) % 7
        return Int(r < 0 ? r + 7 : r)
    }

    /// Floor division, because Swift's `/` truncates toward zero and instants
    /// before the epoch must still land on the correct (earlier) day.
    static func floorDiv(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }
}

/// A timestamp broken down into calendar fields in some zone. Field names are
/// the natural ones; the CEL accessors (0-based month etc.) are derived in
/// `value(of:)` so the VM never has to remember which ones are 0-based.
public struct CivilFields: Hashable, Sendable {
    public var year: Int64
    public var month: Int          // 1...12
    public var day: Int            // 1...31
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int32
    public var dayOfWeek: Int      // 0 = Sunday
    public var dayOfYear: Int      // 0-based
    public var utcOffsetSeconds: Int32

    public func value(of accessor: TimestampAccessor) -> Int64 {
        switch accessor {
        case .fullYear: return year
        case .month: return Int64(month - 1)
        case .dayOfMonth: return Int64(day - 1)
        case .date: return Int64(day)
        case .dayOfWeek: return Int64(dayOfWeek)
        case .dayOfYear: return Int64(dayOfYear)
        case .hours: return Int64(hour)
        case .minutes: return Int64(minute)
        case .seconds: return Int64(second)
        case .milliseconds: return Int64(nanosecond / 1_000_000)
        }
    }
}

/// CEL's timestamp accessor functions; raw values are the CEL function names.
public enum TimestampAccessor: String, CaseIterable, Sendable {
    case fullYear = "getFullYear"
    case month = "getMonth"
    case dayOfMonth = "getDayOfMonth"
    case date = "getDate"
    case dayOfWeek = "getDayOfWeek"
    case dayOfYear = "getDayOfYear"
    case hours = "getHours"
    case minutes = "getMinutes"
    case seconds = "getSeconds"
    case milliseconds = "getMilliseconds"
}
