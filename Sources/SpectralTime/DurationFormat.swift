/// Parsing with Go's `time.ParseDuration` syntax (what cel-go accepts in
/// `duration('...')`), printing in protobuf's JSON form (`"1.5s"`).
extension Duration: CustomStringConvertible {
    /// `[-+]? (digits [. digits] unit)+` or a bare `0`; units `h m s ms us µs ns`
    /// (both the micro sign U+00B5 and Greek mu U+03BC, as Go).
    public static func parse(_ text: String) throws(TimeError) -> Duration {
        func fail() -> TimeError { TimeError("invalid duration '\(text)'") }
        var scanner = DigitScanner(text)
        var negative = false
        if scanner.eat("-") { negative = true } else { _ = scanner.eat("+") }
        if scanner.eat("0"), scanner.atEnd { return .zero }
        scanner = DigitScanner(text)
        _ = scanner.sign()
        guard !scanner.atEnd else { throw fail() }

        // Magnitude in nanoseconds; the limit is 2^63 (allowed only when negative).
        let limit: UInt64 = 1 << 63
        var total: UInt64 = 0
        while !scanner.atEnd {
            // Integer part, checked against the limit as we go.
            var whole: UInt64 = 0
            var sawDigits = false
            var overflow = false
            while let d = scanner.digit() {
                sawDigits = true
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(d))
                if o1 || o2 || a > limit { overflow = true }
                whole = a
            }
            // Fraction: keep at most 18 digits (beyond a nanosecond of an hour
            // they cannot change the result), like Go, which drops them too.
            var fraction: UInt64 = 0
            var scale: UInt64 = 1
            if scanner.eat(".") {
                while let d = scanner.digit() {
                    sawDigits = true
                    if scale < 1_000_000_000_000_000_000 {
                        fraction = fraction * 10 + UInt64(d)
                        scale *= 10
                    }
                }
            }
            guard sawDigits, !overflow else { throw sawDigits ? TimeError.range("duration") : fail() }
            guard let unit = scanner.durationUnit() else { throw fail() }

            let (wholeNanos, o1) = whole.multipliedReportingOverflow(by: unit)
            // fraction * unit / scale, exact via a 128-bit intermediate; the
            // quotient is < unit, so it fits.
            let wide = fraction.multipliedFullWidth(by: unit)
            let fracNanos = scale.dividingFullWidth((wide.high, wide.low)).quotient
            let (part, o2) = wholeNanos.addingReportingOverflow(fracNanos)
            let (sum, o3) = total.addingReportingOverflow(part)
            guard !o1, !o2, !o3, sum <= limit else { throw TimeError.range("duration") }
            total = sum
        }
        if negative {
            return Duration(nanoseconds: total == limit ? Int64.min : -Int64(total))
        }
        guard total < limit else { throw TimeError.range("duration") }
        return Duration(nanoseconds: Int64(total))
    }

    /// Protobuf JSON form: seconds, up to 9 fractional digits without
    /// trailing zeros, and `s`: `1.5s`, `-0.000000001s`, `3600s`.
    public var description: String {
        guard let total = try? totalNanoseconds() else {
            return "Duration(invalid: \(seconds)s, \(nanos)ns)"
        }
        let magnitude = total.magnitude                     // safe for Int64.min
        let whole = magnitude / 1_000_000_000
        let frac = Int64(magnitude % 1_000_000_000)
        return (total < 0 ? "-" : "") + String(whole) + fractionDigits(frac) + "s"
    }
}

extension DigitScanner {
    /// The nanoseconds in the unit at the cursor, consuming it.
    mutating func durationUnit() -> UInt64? {
        let units: [(String, UInt64)] = [
            ("ns", 1), ("us", 1_000), ("\u{00B5}s", 1_000), ("\u{03BC}s", 1_000),
            ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]
        // Longest match first matters for "ms" vs "m"; the list order alone is
        // not enough, so pick the longest unit that matches.
        var best: (length: Int, nanos: UInt64)?
        for (name, nanos) in units {
            let u = Array(name.utf8)
            guard index + u.count <= bytes.count, Array(bytes[index..<index + u.count]) == u else { continue }
            if best.map({ u.count > $0.length }) ?? true { best = (u.count, nanos) }
        }
        guard let unit = best else { return nil }
        index += unit.length
        return unit.nanos
    }
}
