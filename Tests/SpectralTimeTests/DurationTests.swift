import Testing
@testable import SpectralTime

@Suite struct DurationTests {
    @Test(arguments: [
        ("0", "0s"), ("-0", "0s"), ("+0", "0s"), ("0s", "0s"), ("1.5s", "1.5s"), ("-1.5s", "-1.5s"),
        ("300ms", "0.3s"), ("1h30m", "5400s"), ("1h", "3600s"), ("-1ns", "-0.000000001s"),
        ("1us", "0.000001s"), ("1\u{00B5}s", "0.000001s"), ("1\u{03BC}s", "0.000001s"),
        ("2h45m30.5s", "9930.5s"), (".5s", "0.5s"), ("1.s", "1s"), ("123.321456789s", "123.321456789s"),
        ("1.0000000001s", "1s"), ("0.1h", "360s"), ("1m1ms1ns", "60.001000001s"),
        ("9223372036854775807ns", "9223372036.854775807s"), ("-9223372036854775808ns", "-9223372036.854775808s"),
        ("2562047h47m16.854775807s", "9223372036.854775807s"),
    ])
    func parseAndPrint(input: String, printed: String) throws {
        #expect(try Duration.parse(input).description == printed)
    }

    @Test(arguments: [
        "", "-", "s", "1", "10", "00", "1x", "1.5", "1 s", "1S", ".s", "1h-1m", "--1s", "1e3s",
        "9223372036854775808ns", "320000000000s", "2562048h", "-9223372036854775809ns", "99999999999999999999s",
    ])
    func rejects(input: String) {
        #expect(throws: TimeError.self) { try Duration.parse(input) }
    }

    @Test func fieldsHaveTheSignOfTheWhole() throws {
        let d = try Duration.parse("-1.5s")
        #expect(d.seconds == -1 && d.nanos == -500_000_000)
        let e = try Duration.parse("-0.5s")
        #expect(e.seconds == 0 && e.nanos == -500_000_000)
        #expect(try d.totalNanoseconds() == -1_500_000_000)
        #expect(try Duration(seconds: 2, nanos: -1).description == "1.999999999s")
        #expect(try Duration(seconds: -2, nanos: 1).description == "-1.999999999s")
    }

    @Test func arithmeticAndRange() throws {
        #expect(try Duration.parse("600s") + Duration.parse("50s") == Duration.parse("650s"))
        #expect(try Duration.parse("1s") - Duration.parse("1.5s") == Duration.parse("-0.5s"))
        #expect(try -Duration.parse("1.5s") == Duration.parse("-1.5s"))
        #expect(try -Duration.max == Duration(nanoseconds: -Int64.max))
        #expect(throws: TimeError.self) { try -Duration.min }
        #expect(throws: TimeError.self) { try Duration.max + Duration.parse("1ns") }
        #expect(throws: TimeError.self) { try Duration.min - Duration.parse("1ns") }
        #expect(throws: TimeError.self) { try Duration.parse("-200000000000s") - Duration.parse("200000000000s") }
        #expect(throws: TimeError.self) { try Duration(seconds: 9_300_000_000) }
        #expect(throws: TimeError.self) { try Duration(seconds: .min, nanos: .min) }
        // hand-built invalid values (mixed signs, huge nanos) are errors, not traps
        #expect(throws: TimeError.self) { try Duration(unchecked: 1, -1).totalNanoseconds() }
        #expect(throws: TimeError.self) { try Duration(unchecked: 0, 1_000_000_000) + .zero }
        #expect(throws: TimeError.self) { try -Duration(unchecked: .max, 0) }
    }

    @Test func ordering() throws {
        #expect(try Duration.parse("-1.5s") < Duration.parse("-1s"))
        #expect(try Duration.parse("-0.5s") < Duration.parse("0s"))
        #expect(try Duration.parse("200s") < Duration.parse("300s"))
        #expect(try Duration.parse("1h") == Duration.parse("60m"))
        #expect(Duration.min < Duration.max)
    }

    @Test func accessors() throws {
        let d = try Duration.parse("3730s")
        #expect(d.hours == 1 && d.minutes == 62 && d.seconds == 3730 && d.milliseconds == 0)
        // getMilliseconds is the millisecond *part*, per the conformance suite
        #expect(try Duration.parse("123.321456789s").milliseconds == 321)
        let n = try Duration.parse("-3730.5s")
        #expect(n.hours == -1 && n.minutes == -62 && n.seconds == -3730 && n.milliseconds == -500)
    }

    @Test func nanosecondConversions() throws {
        for n: Int64 in [0, 1, -1, 999_999_999, -1_000_000_001, .max, .min] {
            #expect(try Duration(nanoseconds: n).totalNanoseconds() == n)
        }
    }
}
