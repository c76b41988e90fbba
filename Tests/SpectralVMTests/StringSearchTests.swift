import Testing
@testable import SpectralVM

/// `contains` is charged fuel per haystack byte, so its search must be linear.
struct StringSearchTests {
    static func naive(_ needle: [UInt8], _ haystack: [UInt8], from start: Int) -> Int? {
        if needle.isEmpty { return start <= haystack.count ? start : nil }
        var i = start
        while i + needle.count <= haystack.count {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func strings(upTo length: Int) -> [[UInt8]] {
        var all: [[UInt8]] = [[]], level: [[UInt8]] = [[]]
        for _ in 0..<length {
            level = level.flatMap { [$0 + [0x61], $0 + [0x62]] }
            all += level
        }
        return all
    }

    @Test func agreesWithNaiveSearch() {
        let haystacks = Self.strings(upTo: 7), needles = Self.strings(upTo: 4)
        for haystack in haystacks {
            for needle in needles {
                for start in 0...min(2, haystack.count) {
                    #expect(StringSearch.firstIndex(of: needle, in: haystack, from: start)
                            == Self.naive(needle, haystack, from: start), "\(needle) in \(haystack) from \(start)")
                }
            }
        }
    }

    @Test func adversarialInputIsLinear() {
        let n = 400_000
        let haystack = String(repeating: "a", count: n)
        let needle = String(repeating: "a", count: n / 2) + "b"
        #expect(!StringSearch.contains(haystack, needle))
        #expect(StringSearch.contains(haystack + "b", needle))
    }
}
