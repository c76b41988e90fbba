import Testing
@testable import SpectralTime

@Suite struct CivilTests {
    @Test func leapYears() {
        #expect(Civil.isLeapYear(2000))
        #expect(!Civil.isLeapYear(1900))
        #expect(Civil.isLeapYear(2024))
        #expect(!Civil.isLeapYear(2023))
        #expect(Civil.daysInMonth(year: 2000, month: 2) == 29)
        #expect(Civil.daysInMonth(year: 1900, month: 2) == 28)
        #expect(Civil.daysInMonth(year: 2024, month: 2) == 29)
        // the day after Feb 28 is Mar 1 in 1900, Feb 29 in 2000 and 2024
        #expect(Civil.civilFromDays(Civil.daysFromCivil(year: 1900, month: 2, day: 28) + 1) == (1900, 3, 1))
        #expect(Civil.civilFromDays(Civil.daysFromCivil(year: 2000, month: 2, day: 28) + 1) == (2000, 2, 29))
        #expect(Civil.civilFromDays(Civil.daysFromCivil(year: 2024, month: 2, day: 28) + 1) == (2024, 2, 29))
    }

    @Test func knownDays() {
        #expect(Civil.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(Civil.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
        #expect(Civil.daysFromCivil(year: 1, month: 1, day: 1) == -719_162)
        #expect(Civil.daysFromCivil(year: 9999, month: 12, day: 31) == 2_932_896)
        #expect(Civil.weekday(days: 0) == 4)                      // Thursday
        #expect(Civil.weekday(days: -719_162) == 1)               // 0001-01-01 was a Monday
    }

    /// Every 1000th day from 0001-01-01 to 9999-12-31 round-trips, and the
    /// fields stay consistent with a naive day-by-day walk in between.
    @Test func wideRangeRoundTrip() {
        let first = Civil.daysFromCivil(year: 1, month: 1, day: 1)
        let last = Civil.daysFromCivil(year: 9999, month: 12, day: 31)
        var day = first
        while day <= last {
            let c = Civil.civilFromDays(day)
            #expect(c.year >= 1 && c.year <= 9999)
            #expect(c.day >= 1 && c.day <= Civil.daysInMonth(year: c.year, month: c.month))
            #expect(Civil.daysFromCivil(year: c.year, month: c.month, day: c.day) == day)
            day += 1000
        }
    }

    @Test func consecutiveDaysAcrossCenturies() {
        // Walk the calendar naively through two 400-year cycles boundaries.
        var (y, m, d): (Int64, Int, Int) = (1599, 1, 1)
        var days = Civil.daysFromCivil(year: y, month: m, day: d)
        while y < 2401 {
            #expect(Civil.civilFromDays(days) == (y, m, d))
            days += 1
            d += 1
            if d > Civil.daysInMonth(year: y, month: m) { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
        }
    }
}
