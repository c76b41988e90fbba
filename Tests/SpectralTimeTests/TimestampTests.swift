import Testing
@testable import SpectralTime

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2009-02-13T23:31:30Z", "2009-02-13T23:31:30Z"),
        ("2009-02-13T23:31:30.123Z", "2009-02-13T23:31:30.123Z"),
        ("2009-02-13T23:31:30.120000000Z", "2009-02-13T23:31:30.12Z"),
        ("2009-02-13T23:31:30.000000001Z", "2009-02-13T23:31:30.000000001Z"),
        ("2009-02-14t00:31:30+01:00", "2009-02-13T23:31:30Z"),
        ("2009-02-13T15:31:30-08:00", "2009-02-13T23:31:30Z"),
        ("2009-02-13t23:31:30z", "2009-02-13T23:31:30Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999999Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z"),
        ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"),
        ("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z"),
    ])
    func roundTrip(input: String, printed: String) throws {
        #expect(try Timestamp.parse(input).description == printed)
    }

    @Test func knownEpochValues() throws {
        #expect(try Timestamp.parse("2009-02-13T23:31:30Z").seconds == 1_234_567_890)
        #expect(try Timestamp.parse("1970-01-01T00:00:00Z") == Timestamp(seconds: 0))
        let t = try Timestamp.parse("1969-12-31T23:59:59.5Z")
        #expect(t.seconds == -1 && t.nanos == 500_000_000)
        #expect(try Timestamp.parse("0001-01-01T00:00:00Z").seconds == Timestamp.minSeconds)
        #expect(try Timestamp.parse("9999-12-31T23:59:59Z").seconds == Timestamp.maxSeconds)
    }

    @Test(arguments: [
        "", "2009-02-13", "2009-02-13T23:31:30", "2009-02-13 23:31:30Z", "2009-2-13T23:31:30Z",
        "2009-02-13T23:31:30.Z", "2009-02-13T23:31:30.1234567891Z", "2009-02-13T24:00:00Z",
        "2009-02-13T23:60:00Z", "2009-02-13T23:31:60Z", "2009-13-01T00:00:00Z", "2009-00-01T00:00:00Z",
        "2009-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2009-04-31T00:00:00Z", "2009-02-13T23:31:30+0100",
        "2009-02-13T23:31:30+24:00", "2009-02-13T23:31:30Zjunk", "0000-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z", "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01",
        "２009-02-13T23:31:30Z",
    ])
    func rejects(input: String) {
        #expect(throws: TimeError.self) { try Timestamp.parse(input) }
    }

    @Test func unixSecondsRange() throws {
        #expect(try Timestamp(unixSeconds: 1_234_567_890).description == "2009-02-13T23:31:30Z")
        #expect(throws: TimeError.self) { try Timestamp(unixSeconds: 253_402_300_800) }
        #expect(throws: TimeError.self) { try Timestamp(unixSeconds: -62_135_596_801) }
        #expect(throws: TimeError.self) { try Timestamp(unixSeconds: .min) }
        #expect(throws: TimeError.self) { try Timestamp(unixSeconds: .max) }
        #expect(try Timestamp(unixSeconds: Timestamp.maxSeconds).unixSeconds == Timestamp.maxSeconds)
    }

    @Test func arithmetic() throws {
        let t = try Timestamp.parse("2009-02-13T23:00:00Z")
        #expect(try t + Duration.parse("240s") == Timestamp.parse("2009-02-13T23:04:00Z"))
        #expect(try t - Duration.parse("1h") == Timestamp.parse("2009-02-13T22:00:00Z"))
        #expect(try Duration.parse("1ms") + t == Timestamp.parse("2009-02-13T23:00:00.001Z"))
        // nanosecond carry and borrow
        #expect(try Timestamp.parse("0001-01-01T00:00:01.999999999Z") + Duration.parse("999999999ns")
                == Timestamp.parse("0001-01-01T00:00:02.999999998Z"))
        #expect(try Timestamp.parse("2000-01-01T00:00:00Z") - Duration.parse("1ns")
                == Timestamp.parse("1999-12-31T23:59:59.999999999Z"))
        #expect(try (Timestamp.parse("2000-01-01T00:00:00Z") - Timestamp.parse("1999-12-31T23:59:59.999999999Z")).description == "0.000000001s")
        #expect(try (Timestamp.parse("1999-12-31T23:59:59.5Z") - Timestamp.parse("2000-01-01T00:00:01Z")).description == "-1.5s")
    }

    @Test func arithmeticRange() throws {
        #expect(throws: TimeError.self) { try Timestamp.min - Duration.parse("1ns") }
        #expect(throws: TimeError.self) { try Timestamp.max + Duration.parse("1ns") }
        #expect(throws: TimeError.self) { try Timestamp.parse("9999-12-31T23:59:59Z") + Duration.parse("1s") }
        #expect(throws: TimeError.self) { try Timestamp.min + Duration.min }
        #expect(throws: TimeError.self) { try Timestamp.max - Duration.min }
        // difference beyond ~292 years does not fit a CEL duration
        #expect(throws: TimeError.self) { try Timestamp.parse("9999-12-31T23:59:59Z") - Timestamp.min }
        // ... but 200 years does
        #expect(try (Timestamp.parse("2200-01-01T00:00:00Z") - Timestamp.parse("2000-01-01T00:00:00Z")).seconds == 6_311_433_600)
        // hand-built invalid values are errors, not traps
        let bogus = Timestamp(unchecked: .max, 0)
        #expect(throws: TimeError.self) { try bogus + Duration.parse("1s") }
        #expect(throws: TimeError.self) { try bogus - Timestamp.min }
        #expect(throws: TimeError.self) { try bogus.utcFields() }
        let badDuration = Duration(unchecked: .max, 999_999_999)
        #expect(throws: TimeError.self) { try Timestamp.min + badDuration }
    }

    @Test func ordering() throws {
        let a = try Timestamp.parse("1969-12-31T23:59:59.9Z")
        let b = try Timestamp.parse("1970-01-01T00:00:00Z")
        #expect(a < b)
        #expect(Timestamp.min < Timestamp.max)
        #expect(try Timestamp.parse("2009-02-13T23:31:30+01:00") < Timestamp.parse("2009-02-13T23:31:30Z"))
    }

    @Test func utcAccessors() throws {
        let t = try Timestamp.parse("2009-02-13T23:31:30.123456789Z")
        let expected: [TimestampAccessor: Int64] = [
            .fullYear: 2009, .month: 1, .dayOfMonth: 12, .date: 13, .dayOfWeek: 5,
            .dayOfYear: 43, .hours: 23, .minutes: 31, .seconds: 30, .milliseconds: 123,
        ]
        for (accessor, value) in expected {
            #expect(try t.value(of: accessor) == value, "\(accessor)")
        }
        let f = try Timestamp.parse("0001-01-01T00:00:00Z").utcFields()
        #expect(f.year == 1 && f.month == 1 && f.day == 1 && f.dayOfWeek == 1 && f.dayOfYear == 0)
        let g = try Timestamp.max.utcFields()
        #expect(g.year == 9999 && g.dayOfYear == 364 && g.dayOfWeek == 5 && g.nanosecond == 999_999_999)
        #expect(try Timestamp.parse("2024-12-31T00:00:00Z").value(of: .dayOfYear) == 365)
    }
}
