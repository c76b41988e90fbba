import Testing
@testable import SpectralTime

/// Direct API equivalents of the cel-spec `timestamps` conformance tests in
/// Fixtures/conformance/cel-spec-visible.json that only involve timestamp and
/// duration functions (the `type(...)` tests are the VM's business).
@Suite struct ConformanceTimestampTests {
    let t = Timestamp(unchecked: 1_234_567_890, 0)          // 2009-02-13T23:31:30Z

    func ts(_ s: String) throws -> Timestamp { try Timestamp.parse(s) }
    func dur(_ s: String) throws -> Duration { try Duration.parse(s) }

    @Test func conversions() throws {
        #expect(t.unixSeconds == 1_234_567_890)                                          // toInt_timestamp
        #expect(t.description == "2009-02-13T23:31:30Z")                                 // toString_timestamp
        #expect(try ts("9999-12-31T23:59:59.999999999Z").description == "9999-12-31T23:59:59.999999999Z")
        #expect(try dur("1000000s").seconds == 1_000_000)
    }

    @Test func selectorsUTC() throws {
        #expect(try t.value(of: .date) == 13)
        #expect(try t.value(of: .dayOfMonth) == 12)
        #expect(try t.value(of: .dayOfWeek) == 5)
        #expect(try t.value(of: .fullYear) == 2009)
        #expect(try t.value(of: .minutes) == 31)
        #expect(try t.value(of: .month) == 1)
        #expect(try t.value(of: .seconds) == 30)
    }

    @Test(arguments: [
        ("2009-02-13T23:31:30Z", TimestampAccessor.date, "Australia/Sydney", Int64(14)),
        ("2009-02-13T23:31:30Z", .dayOfMonth, "US/Central", 12),
        ("2009-02-13T23:31:30Z", .dayOfMonth, "+11:00", 13),
        ("2009-02-13T02:00:00Z", .dayOfMonth, "-02:30", 11),
        ("2009-02-13T02:00:00Z", .dayOfMonth, "America/St_Johns", 11),
        ("2009-02-13T23:31:30Z", .dayOfWeek, "UTC", 5),
        ("2009-02-13T23:31:30Z", .dayOfYear, "US/Central", 43),
        ("2009-02-13T23:31:30Z", .fullYear, "-09:30", 2009),
        ("2009-02-13T23:31:30Z", .hours, "02:00", 1),
        ("2009-02-13T23:31:30Z", .minutes, "Asia/Kathmandu", 16),
        ("2009-02-13T23:31:30Z", .month, "UTC", 1),
        ("2009-02-13T23:31:30Z", .seconds, "-00:00", 30),
    ])
    func selectorsWithZone(instant: String, accessor: TimestampAccessor, zone: String, expected: Int64) throws {
        #expect(try ts(instant).value(of: accessor, in: TimeZoneID.resolve(zone)) == expected)
    }

    @Test func equalityAndComparison() throws {
        #expect(try ts("2009-02-13T23:31:29Z") != ts("2009-02-13T23:31:30Z"))
        #expect(try ts("1945-05-07T02:41:00Z") == ts("1945-05-07T02:41:00Z"))
        #expect(try dur("123s") == dur("123s"))
        #expect(try dur("60s") != dur("3600s"))
        #expect(try dur("604800s") == dur("604800s"))
        #expect(try ts("2009-02-13T23:00:00Z") <= ts("2009-02-13T23:00:00Z"))
        #expect(try !(ts("2009-02-13T23:00:00Z") <= ts("2009-02-13T22:59:59Z")))
        #expect(try dur("200s") <= dur("200s"))
        #expect(try !(dur("300s") <= dur("200s")))
        #expect(try dur("200s") < dur("300s"))
        #expect(try ts("2009-02-13T23:00:00Z") >= ts("2009-02-13T23:00:00Z"))
        #expect(try dur("200s") >= dur("200s"))
        #expect(try !(dur("120s") >= dur("200s")))
        #expect(try ts("2009-02-13T23:59:00Z") > ts("2009-02-13T23:00:00Z"))
        #expect(try dur("300s") > dur("200s"))
    }

    @Test func arithmetic() throws {
        #expect(try ts("2009-02-13T23:00:00Z") + dur("240s") == ts("2009-02-13T23:04:00Z"))
        #expect(try dur("600s") + dur("50s") == dur("650s"))
        #expect(try ts("0001-01-01T00:00:01.999999999Z") + dur("999999999ns") == ts("0001-01-01T00:00:02.999999998Z"))
        #expect(try ts("2009-02-13T23:10:00Z") - dur("600s") == ts("2009-02-13T23:00:00Z"))
    }

    @Test func durationConverters() throws {
        #expect(try dur("123.321456789s").milliseconds == 321)
        #expect(try dur("3730s").minutes == 62)
        #expect(try dur("3730s").seconds == 3730)
    }

    @Test func timestampRange() throws {
        #expect(throws: TimeError.self) { try ts("0000-01-01T00:00:00Z") }
        #expect(throws: TimeError.self) { try ts("10000-01-01T00:00:00Z") }
        #expect(throws: TimeError.self) { try Timestamp(unixSeconds: 253_402_300_800) }
        #expect(throws: TimeError.self) { try ts("0001-01-01T00:00:00Z") + dur("-1s") }
        #expect(throws: TimeError.self) { try ts("9999-12-31T23:59:59Z") + dur("1s") }
        #expect(throws: TimeError.self) { try ts("9999-12-31T23:59:59.999999999Z") + dur("1ns") }
        #expect(throws: TimeError.self) { try ts("0001-01-01T00:00:00Z") + dur("-1ns") }
        #expect(throws: TimeError.self) { try ts("9999-12-31T23:59:59Z") - ts("0001-01-01T00:00:00Z") }
    }

    @Test func durationRange() throws {
        #expect(throws: TimeError.self) { try dur("320000000000s") }
        // Each operand alone is already beyond CEL's int64-nanosecond range.
        #expect(throws: TimeError.self) { try dur("-200000000000s") - dur("200000000000s") }
    }
}
