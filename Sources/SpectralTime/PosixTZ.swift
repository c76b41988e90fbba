/// A POSIX TZ rule string as found in TZif footers, e.g.
/// `PST8PDT,M3.2.0,M11.1.0` or `<+1030>-10:30<+11>-11,M10.1.0,M4.1.0`.
/// Supported: `std offset [dst [offset] [,start[/time],end[/time]]]` with
/// `Mm.w.d`, `Jn` and `n` dates and the RFC 8536 extensions (negative times,
/// hours up to 167). A DST name without rules is implementation-defined in
/// POSIX, so it is rejected and the caller falls back to the last transition.
struct PosixTZ: Sendable, Equatable {
    enum DateRule: Sendable, Equatable {
        case monthWeekDay(month: Int, week: Int, weekday: Int)  // Mm.w.d
        case julianNoLeap(Int)                                 // Jn, 1...365, Feb 29 never counted
        case zeroBased(Int)                                    // n, 0...365
    }

    struct Rule: Sendable, Equatable {
        var date: DateRule
        var time: Int64        // seconds after local midnight, in the offset in effect before the change
    }

    /// Seconds east of UTC (POSIX offsets count west, so they are negated on parse).
    var standardOffset: Int32
    var daylight: (offset: Int32, start: Rule, end: Rule)?

    static func == (a: PosixTZ, b: PosixTZ) -> Bool {
        a.standardOffset == b.standardOffset && a.daylight?.offset == b.daylight?.offset
            && a.daylight?.start == b.daylight?.start && a.daylight?.end == b.daylight?.end
    }

    init?(_ text: String) {
        var p = Parser(bytes: Array(text.utf8))
        guard p.name(), let std = p.offset(maxHours: 24) else { return nil }
        guard abs(std) < 86_400 else { return nil }
        standardOffset = Int32(-std)
        if p.atEnd {
            daylight = nil
            return
        }
        guard p.name() else { return nil }
        var dst = -std + 3600
        if p.peek != UInt8(ascii: ",") {
            guard let o = p.offset(maxHours: 24) else { return nil }
            dst = -o
        }
        guard p.eat(","), let start = p.rule(), p.eat(","), let end = p.rule(), p.atEnd else { return nil }
        // Keep offsets under a day, as the calendar arithmetic assumes.
        guard abs(dst) < 86_400, abs(std) < 86_400 else { return nil }
        daylight = (Int32(dst), start, end)
    }

    func utcOffset(at t: Int64) -> Int32 {
        guard let dst = daylight else { return standardOffset }
        // The year is taken in standard local time; transitions are then
        // computed for that year. Good for all real-world rules, whose
        // changes never sit within an offset's width of New Year.
        let (days, _) = Civil.floorDiv(t + Int64(standardOffset), 86_400)
        let year = Civil.civilFromDays(days).year
        // Start is expressed in standard time, end in daylight time.
        let start = PosixTZ.transition(dst.start, year: year) - Int64(standardOffset)
        let end = PosixTZ.transition(dst.end, year: year) - Int64(dst.offset)
        let inDST = start < end ? (t >= start && t < end) : !(t >= end && t < start)
        return inDST ? dst.offset : standardOffset
    }

    /// Local seconds since the epoch (as if the local clock were UTC) at
    /// which the rule fires in `year`.
    static func transition(_ rule: Rule, year: Int64) -> Int64 {
        let day: Int64
        switch rule.date {
        case .monthWeekDay(let month, let week, let weekday):
            let first = Civil.daysFromCivil(year: year, month: month, day: 1)
            let firstMatch = first + Int64((weekday - Civil.weekday(days: first) + 7) % 7)
            var d = firstMatch + Int64((week - 1) * 7)
            let length = Int64(Civil.daysInMonth(year: year, month: month))
            while d >= first + length { d -= 7 }               // week 5 = "last"
            day = d
        case .julianNoLeap(let n):
            let jan1 = Civil.daysFromCivil(year: year, month: 1, day: 1)
            day = jan1 + Int64(n - 1) + (Civil.isLeapYear(year) && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            day = Civil.daysFromCivil(year: year, month: 1, day: 1) + Int64(n)
        }
        return day * 86_400 + rule.time
    }

    /// Recursive-descent parser over the ASCII bytes of the rule.
    struct Parser {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func eat(_ c: Character) -> Bool {
            guard let b = peek, let a = c.asciiValue, a == b else { return false }
            index += 1
            return true
        }

        /// `std`/`dst` designation: 3+ letters, or `<...>` of letters, digits, + and -.
        mutating func name() -> Bool {
            if eat("<") {
                let start = index
                while let b = peek, b != UInt8(ascii: ">") {
                    guard isAlpha(b) || isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") else { return false }
                    index += 1
                }
                guard index - start >= 3, eat(">") else { return false }
                return true
            }
            let start = index
            while let b = peek, isAlpha(b) { index += 1 }
            return index - start >= 3
        }

        mutating func number(maxDigits: Int) -> Int? {
            var v = 0, n = 0
            while let b = peek, isDigit(b), n < maxDigits {
                v = v * 10 + Int(b - 0x30)
                n += 1
                index += 1
            }
            return n > 0 ? v : nil
        }

        /// `[+-]hh[:mm[:ss]]` in seconds (POSIX sign: positive = west).
        mutating func offset(maxHours: Int) -> Int? {
            var sign = 1
            if eat("-") { sign = -1 } else { _ = eat("+") }
            guard let h = number(maxDigits: 3), h <= maxHours else { return nil }
            var seconds = h * 3600
            if eat(":") {
                guard let m = number(maxDigits: 2), m < 60 else { return nil }
                seconds += m * 60
                if eat(":") {
                    guard let s = number(maxDigits: 2), s < 60 else { return nil }
                    seconds += s
                }
            }
            return sign * seconds
        }

        /// `date[/time]`; the default time is 02:00 local.
        mutating func rule() -> Rule? {
            let date: DateRule
            if eat("M") {
                guard let m = number(maxDigits: 2), (1...12).contains(m), eat("."),
                      let w = number(maxDigits: 1), (1...5).contains(w), eat("."),
                      let d = number(maxDigits: 1), (0...6).contains(d) else { return nil }
                date = .monthWeekDay(month: m, week: w, weekday: d)
            } else if eat("J") {
                guard let n = number(maxDigits: 3), (1...365).contains(n) else { return nil }
                date = .julianNoLeap(n)
            } else {
                guard let n = number(maxDigits: 3), (0...365).contains(n) else { return nil }
                date = .zeroBased(n)
            }
            var time: Int64 = 7200
            if eat("/") {
                guard let t = offset(maxHours: 167) else { return nil }
                time = Int64(t)
            }
            return Rule(date: date, time: time)
        }

        func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    }
}
