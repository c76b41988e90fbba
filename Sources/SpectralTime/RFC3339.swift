/// RFC 3339 parsing and printing for `Timestamp`, matching what CEL
/// implementations accept (Go's `time.RFC3339`): a 4-digit year, `T`/`t`,
/// optional fraction of 1...9 digits, and `Z`/`z` or a `±hh:mm` offset.
extension Timestamp: CustomStringConvertible {
    public static func parse(_ text: String) throws(TimeError) -> Timestamp {
        var scanner = DigitScanner(text)
        func fail() -> TimeError { TimeError("invalid timestamp '\(text)'") }

        guard let year = scanner.fixedDigits(4), scanner.eat("-"),
              let month = scanner.fixedDigits(2), scanner.eat("-"),
              let day = scanner.fixedDigits(2), scanner.eat("T") || scanner.eat("t"),
              let hour = scanner.fixedDigits(2), scanner.eat(":"),
              let minute = scanner.fixedDigits(2), scanner.eat(":"),
              let second = scanner.fixedDigits(2) else { throw fail() }
        var nanos: Int64 = 0
        if scanner.eat(".") {
            // Accept 1...9 digits; anything finer than a nanosecond is not representable.
            var count = 0
            while let d = scanner.digit() {
                count += 1
                guard count <= 9 else { throw fail() }
                nanos = nanos * 10 + d
            }
            guard count > 0 else { throw fail() }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        if scanner.eat("Z") || scanner.eat("z") {
            offset = 0
        } else if let sign = scanner.sign() {
            guard let oh = scanner.fixedDigits(2), scanner.eat(":"), let om = scanner.fixedDigits(2),
                  oh < 24, om < 60 else { throw fail() }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            throw fail()
        }
        guard scanner.atEnd else { throw fail() }

        guard month >= 1, month <= 12, day >= 1, day <= Int64(Civil.daysInMonth(year: year, month: Int(month))),
              hour < 24, minute < 60, second < 60 else { throw fail() }
        // Year 0000 parses syntactically; the range check below rejects it
        // (CEL reports a range error rather than a syntax error).
        let days = Civil.daysFromCivil(year: year, month: Int(month), day: Int(day))
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return try Timestamp(seconds: local - offset, nanos: Int32(nanos))
    }

    /// RFC 3339 in UTC, like Go's RFC3339Nano: the fraction only when non-zero,
    /// with trailing zeros trimmed.
    public var description: String {
        guard let f = try? utcFields() else {
            return "Timestamp(invalid: \(seconds)s, \(nanos)ns)"
        }
        var s = pad(f.year, 4) + "-" + pad(Int64(f.month), 2) + "-" + pad(Int64(f.day), 2)
        s += "T" + pad(Int64(f.hour), 2) + ":" + pad(Int64(f.minute), 2) + ":" + pad(Int64(f.second), 2)
        s += fractionDigits(Int64(nanos))
        return s + "Z"
    }
}

/// Zero-padded decimal of a non-negative number.
func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// ".123" for 123_000_000 ns, "" for 0: nine digits with trailing zeros trimmed.
func fractionDigits(_ nanos: Int64) -> String {
    guard nanos != 0 else { return "" }
    var digits = Array(pad(nanos, 9))
    while digits.last == "0" { digits.removeLast() }
    return "." + String(digits)
}

/// A tiny cursor over the UTF-8 bytes of a string. Working on bytes keeps the
/// parsers simple and makes every non-ASCII character a plain mismatch.
struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var atEnd: Bool { index == bytes.count }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func eat(_ c: Unicode.Scalar) -> Bool {
        guard let b = peek, UInt32(b) == c.value else { return false }
        index += 1
        return true
    }

    mutating func digit() -> Int64? {
        guard let b = peek, b >= 0x30, b <= 0x39 else { return nil }
        index += 1
        return Int64(b - 0x30)
    }

    /// Exactly `count` digits (count <= 18, so no overflow).
    mutating func fixedDigits(_ count: Int) -> Int64? {
        var value: Int64 = 0
        for _ in 0..<count {
            guard let d = digit() else { return nil }
            value = value * 10 + d
        }
        return value
    }

    /// +1 or -1 if a sign is next.
    mutating func sign() -> Int64? {
        if eat("+") { return 1 }
        if eat("-") { return -1 }
        return nil
    }
}
