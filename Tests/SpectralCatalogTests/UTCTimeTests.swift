import Foundation
import SpectralCatalog
import Testing

@Suite("UTC time texts")
struct UTCTimeTests {
    /// SQLite's decision log stores the time as GRDB stores a `Date` (its formatter is this
    /// one); listings bind `since` and `until` through GRDB and compare the texts, so the
    /// two must agree to the character, leap days, year ends and pre-1970 times included.
    @Test func sqliteTextIsGRDBsDateText() {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        let milliseconds: [Int64] = [0, 1, 999, 951_782_400_123, 951_868_799_999, 1_765_000_000_500, 4_102_444_799_007,
                                     -86_401_000, -1, 1_709_164_800_010, 1_780_000_030_000]
        for ms in milliseconds {
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            #expect(UTCTime(date).sqliteText == formatter.string(from: date), "\(ms)")
        }
    }

    /// A decision's time is its id's milliseconds over 1000; the text keeps those
    /// milliseconds even where the division lands just below them.
    @Test func idMillisecondsSurviveTheDouble() {
        for ms: Int64 in [1_780_000_000_123, 1_733_512_345_123, 1_733_512_345_001, 1_733_512_345_999] {
            let text = UTCTime(Date(timeIntervalSince1970: Double(ms) / 1000)).sqliteText
            #expect(text.hasSuffix(String(format: ".%03lld", ms % 1000)), "\(ms): \(text)")
        }
    }
}
