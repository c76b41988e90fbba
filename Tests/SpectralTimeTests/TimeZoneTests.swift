import Testing
@testable import SpectralTime

@Suite struct TimeZoneTests {
    static func offset(_ zone: String, _ instant: String) throws -> Int32 {
        try TimeZoneID.resolve(zone).utcOffset(at: Timestamp.parse(instant))
    }

    @Test func losAngeles() throws {
        for year in [1990, 2009, 2024, 2037, 2038, 2050, 2100, 2500] {
            #expect(try Self.offset("America/Los_Angeles", "\(year)-01-15T12:00:00Z") == -8 * 3600, "\(year) winter")
            #expect(try Self.offset("America/Los_Angeles", "\(year)-07-15T12:00:00Z") == -7 * 3600, "\(year) summer")
        }
    }

    /// Exact transition instants, from the table (2024) and from the footer
    /// rule `PST8PDT,M3.2.0,M11.1.0` (2100).
    @Test func losAngelesTransitions() throws {
        let la = try TimeZoneID.resolve("America/Los_Angeles")
        #expect(la.utcOffset(atUnixSeconds: 1_710_064_799) == -28_800)
        #expect(la.utcOffset(atUnixSeconds: 1_710_064_800) == -25_200)
        #expect(la.utcOffset(atUnixSeconds: 4_108_701_599) == -28_800)
        #expect(la.utcOffset(atUnixSeconds: 4_108_701_600) == -25_200)
        #expect(la.utcOffset(atUnixSeconds: 4_129_261_199) == -25_200)
        #expect(la.utcOffset(atUnixSeconds: 4_129_261_200) == -28_800)
    }

    @Test func extremeInstantsDoNotTrap() throws {
        for name in ["America/Los_Angeles", "Australia/Lord_Howe", "UTC", "+05:30"] {
            let zone = try TimeZoneID.resolve(name)
            for t: Int64 in [.max, .min, .max - 86_400, .min + 86_400, 0] {
                _ = zone.utcOffset(atUnixSeconds: t)
            }
        }
        #expect(try TimeZoneID.resolve("America/Los_Angeles").utcOffset(atUnixSeconds: .max) == -8 * 3600)
    }

    @Test func halfHourZones() throws {
        #expect(try Self.offset("Asia/Kolkata", "2009-02-13T23:31:30Z") == 19_800)
        #expect(try Self.offset("Asia/Kolkata", "2100-07-01T00:00:00Z") == 19_800)
        #expect(try Self.offset("Asia/Kathmandu", "2009-02-13T23:31:30Z") == 20_700)
        #expect(try Self.offset("America/St_Johns", "2009-02-13T02:00:00Z") == -12_600)
    }

    /// Lord Howe Island shifts by 30 minutes: +10:30 standard, +11:00 summer
    /// (southern hemisphere: DST spans New Year).
    @Test func lordHowe() throws {
        for year in [2009, 2024, 2100] {
            #expect(try Self.offset("Australia/Lord_Howe", "\(year)-01-15T00:00:00Z") == 39_600)
            #expect(try Self.offset("Australia/Lord_Howe", "\(year)-07-15T00:00:00Z") == 37_800)
        }
        let lh = try TimeZoneID.resolve("Australia/Lord_Howe")
        #expect(lh.utcOffset(atUnixSeconds: 4_126_174_199) == 37_800)   // 2100-10-02T15:29:59Z
        #expect(lh.utcOffset(atUnixSeconds: 4_126_174_200) == 39_600)
        #expect(lh.utcOffset(atUnixSeconds: 4_110_447_599) == 39_600)   // 2100-04-03T14:59:59Z
        #expect(lh.utcOffset(atUnixSeconds: 4_110_447_600) == 37_800)
    }

    @Test func otherNamedZones() throws {
        #expect(try Self.offset("Europe/Paris", "2009-02-13T23:31:30Z") == 3600)
        #expect(try Self.offset("Europe/Paris", "2100-10-02T15:30:00Z") == 7200)
        #expect(try Self.offset("US/Central", "2009-02-13T23:31:30Z") == -6 * 3600)
        #expect(try Self.offset("Etc/UTC", "2009-02-13T23:31:30Z") == 0)
        #expect(try Self.offset("UTC", "0001-01-01T00:00:00Z") == 0)
        // Before the first transition: local mean time of the zone (LA: -7:52:58).
        #expect(try Self.offset("America/Los_Angeles", "1800-01-01T00:00:00Z") == -28_378)
    }

    @Test func fixedOffsets() throws {
        #expect(try Self.offset("+05:30", "2009-02-13T23:31:30Z") == 19_800)
        #expect(try Self.offset("-08:00", "2009-02-13T23:31:30Z") == -28_800)
        #expect(try Self.offset("02:00", "2009-02-13T23:31:30Z") == 7200)
        #expect(try Self.offset("-00:00", "2009-02-13T23:31:30Z") == 0)
        #expect(try Self.offset("+23:59", "2009-02-13T23:31:30Z") == 86_340)
    }

    @Test(arguments: [
        "", "utc2", "Nowhere/Special", "../etc/passwd", "/etc/passwd", "America/../Europe/Paris",
        "America/Los Angeles", "America\\Los_Angeles", "Europe/Paris\u{0}", "Amérique/Paris",
        "+24:00", "+05:60", "+5:30", "05", "America", "America/", "Europe/Paris/",
        String(repeating: "A", count: 300),
    ])
    func rejectsInvalidNames(name: String) {
        #expect(throws: TimeError.self) { try TimeZoneID.resolve(name) }
    }

    @Test func nameValidation() {
        #expect(ZoneCache.isValidName("America/Argentina/Buenos_Aires"))
        #expect(ZoneCache.isValidName("Etc/GMT+5"))
        #expect(!ZoneCache.isValidName("a..b"))
        #expect(!ZoneCache.isValidName("/UTC"))
        #expect(!ZoneCache.isValidName("a b"))
    }

    @Test func missingDatabaseStillAllowsUTCAndFixed() throws {
        let cache = ZoneCache(directory: "/nonexistent/zoneinfo")
        #expect {
            try cache.load("Europe/Paris")
        } throws: { error in
            (error as? TimeError)?.message.contains("no time zone database") == true
        }
        #expect(try TimeZoneID.resolve("UTC").utcOffset(atUnixSeconds: 0) == 0)
        #expect(try TimeZoneID.resolve("+01:00").utcOffset(atUnixSeconds: 0) == 3600)
    }

    @Test func zoneAccessorsAcrossMidnight() throws {
        let t = try Timestamp.parse("2009-02-13T23:31:30Z")
        let sydney = try t.fields(in: TimeZoneID.resolve("Australia/Sydney"))
        #expect(sydney.day == 14 && sydney.hour == 10 && sydney.dayOfWeek == 6)
        let earliest = try Timestamp.min.fields(in: TimeZoneID.resolve("-08:00"))
        #expect(earliest.year == 0 && earliest.month == 12 && earliest.day == 31 && earliest.hour == 16)
        let latest = try Timestamp.max.fields(in: TimeZoneID.resolve("+08:00"))
        #expect(latest.year == 10000 && latest.month == 1 && latest.day == 1)
    }

    @Test func cacheIsSharedAndThreadSafe() async throws {
        await withTaskGroup(of: Int32?.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let name = ["Europe/Paris", "Asia/Kolkata", "America/Los_Angeles", "Asia/Tokyo"][i % 4]
                    return try? TimeZoneID.resolve(name).utcOffset(atUnixSeconds: 1_234_567_890)
                }
            }
            var results: [Int32?] = []
            for await r in group { results.append(r) }
            #expect(results.allSatisfy { $0 != nil })
        }
    }
}

@Suite struct PosixTZTests {
    @Test func parses() throws {
        let us = try #require(PosixTZ("PST8PDT,M3.2.0,M11.1.0"))
        #expect(us.standardOffset == -28_800 && us.daylight?.offset == -25_200)
        let lh = try #require(PosixTZ("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"))
        #expect(lh.standardOffset == 37_800 && lh.daylight?.offset == 39_600)
        let fixed = try #require(PosixTZ("<+0530>-5:30"))
        #expect(fixed.standardOffset == 19_800 && fixed.daylight == nil)
        let withTimes = try #require(PosixTZ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0"))   // America/Nuuk style
        #expect(withTimes.daylight?.start.time == -3600)
        let julian = try #require(PosixTZ("EST5EDT,J60/2,300/2"))
        #expect(julian.daylight?.start.date == .julianNoLeap(60))
        let allYear = try #require(PosixTZ("EST5EDT,0/0,J365/25"))
        #expect(allYear.utcOffset(at: 4_108_701_600) == -4 * 3600)
    }

    @Test(arguments: ["", "PST", "PS8", "PST8PDT", "PST8PDT,M3.2.0", "PST8PDT,M13.2.0,M11.1.0",
                      "PST8PDT,M3.6.0,M11.1.0", "<+10", "PST99", "PST8PDT,M3.2.0,M11.1.0x"])
    func rejects(text: String) {
        #expect(PosixTZ(text) == nil)
    }

    @Test func lastWeekRule() {
        // M10.5.0 = last Sunday of October: 2100-10-31 is a Sunday, 2024's is the 27th.
        let rule = PosixTZ.Rule(date: .monthWeekDay(month: 10, week: 5, weekday: 0), time: 0)
        #expect(PosixTZ.transition(rule, year: 2100) == Civil.daysFromCivil(year: 2100, month: 10, day: 31) * 86_400)
        #expect(PosixTZ.transition(rule, year: 2024) == Civil.daysFromCivil(year: 2024, month: 10, day: 27) * 86_400)
        // J60 is always March 1; day 59 (zero-based) is Feb 29 in leap years.
        let j60 = PosixTZ.Rule(date: .julianNoLeap(60), time: 0)
        #expect(PosixTZ.transition(j60, year: 2024) == Civil.daysFromCivil(year: 2024, month: 3, day: 1) * 86_400)
        let n59 = PosixTZ.Rule(date: .zeroBased(59), time: 0)
        #expect(PosixTZ.transition(n59, year: 2024) == Civil.daysFromCivil(year: 2024, month: 2, day: 29) * 86_400)
    }
}

@Suite struct TZifTests {
    @Test func rejectsCorruptData() {
        let cases: [[UInt8]] = [
            [], Array("TZif".utf8), Array("TZip2".utf8) + Array(repeating: 0, count: 60),
            Array("TZif2".utf8) + Array(repeating: 0, count: 39),        // typecnt 0
            Array("TZif2".utf8) + Array(repeating: 0xFF, count: 60),     // huge counts
        ]
        for data in cases {
            #expect(throws: TimeError.self) { try TZif.decode(data, name: "test") }
        }
    }

    @Test func decodesTruncatedSystemFileAsError() throws {
        let data = try #require(ZoneCache.readFile("/usr/share/zoneinfo/Europe/Paris", limit: 1 << 20))
        #expect(throws: Never.self) { try TZif.decode(data, name: "Europe/Paris") }
        for cut in stride(from: 0, to: data.count - 40, by: 97) {
            // Any prefix must fail cleanly or decode (a v2 file cut in the footer still has its table).
            _ = try? TZif.decode(Array(data[0..<cut]), name: "cut")
        }
    }
}
