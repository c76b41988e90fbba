import Spectral

/// Conservative checks of the string formats a schema can ask for. Each accepts only a
/// plain spelling the binder certainly accepts (no IPv4 tail in an IPv6 address, no
/// offset that could carry the first or last representable day out of range), so a string that passes here binds; one that fails may still be
/// valid, and is merely not used as a sample.
enum TextFormat {
    static func conforms(_ text: String, to format: InputSchema.StringFormat) -> Bool {
        switch format {
        case .ipv4: return isIPv4(text)
        case .ipv6: return isIPv6(text)
        }
    }

    /// Four decimal octets, 0...255, no leading zeros: the binder's own rule.
    static func isIPv4(_ text: String) -> Bool {
        let fields = text.split(separator: ".", omittingEmptySubsequences: false)
        return fields.count == 4 && fields.allSatisfy { field in
            (1...3).contains(field.count) && field.allSatisfy(\.isASCIIDigit)
                && (field.count == 1 || field.first != "0") && Int(field)! <= 255
        }
    }

    /// Groups of one to four hex digits, eight of them, or fewer around one `::`.
    static func isIPv6(_ text: String) -> Bool {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        func groups(_ part: Substring) -> Int? {
            guard !part.isEmpty else { return 0 }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return nil }
            return fields.count
        }
        guard let head = groups(halves[0]) else { return false }
        guard halves.count == 2 else { return head == 8 }
        guard let tail = groups(halves[1]) else { return false }
        return head + tail <= 7
    }

    /// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1...9 digits, then `Z` or `±HH:MM`;
    /// years 0001...9999, each month's own days.
    static func isDateTime(_ text: String) -> Bool {
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int, _ expected: Character) -> Bool {
            index < scalars.count && scalars[index] == expected.asciiValue
        }
        guard let year = number(0..<4), byte(4, "-"), let month = number(5..<7), byte(7, "-"), let day = number(8..<10),
              byte(10, "T"), let hour = number(11..<13), byte(13, ":"), let minute = number(14..<16), byte(16, ":"),
              let second = number(17..<19),
              (1...9999).contains(year), (1...12).contains(month), (1...daysIn(month, of: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return false }
        var index = 19
        if byte(index, ".") {
            let start = index + 1
            index = start
            while number(index..<(index + 1)) != nil { index += 1 }
            guard (1...9).contains(index - start) else { return false }
        }
        if byte(index, "Z") { return index + 1 == scalars.count }
        guard byte(index, "+") || byte(index, "-"), let offsetHours = number((index + 1)..<(index + 3)), byte(index + 3, ":"),
              let offsetMinutes = number((index + 4)..<(index + 6)) else { return false }
        // Near the ends of the range an offset can carry the instant outside it.
        let nearEdge = (year == 1 && month == 1 && day == 1) || (year == 9999 && month == 12 && day == 31)
        return offsetHours < 24 && offsetMinutes < 60 && index + 6 == scalars.count && !nearEdge
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
