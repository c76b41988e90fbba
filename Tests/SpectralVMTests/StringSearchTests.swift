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

    /// A byte that counts the comparisons made with it.
    struct CountedByte: Equatable {
        final class Counter { var comparisons = 0 }
        let value: UInt8
        let counter: Counter

        static func == (lhs: CountedByte, rhs: CountedByte) -> Bool {
            lhs.counter.comparisons += 1
            return lhs.value == rhs.value
        }
    }

    // Linear as a count, not a time: the search is generic over its elements, so it runs
    // here over bytes that count their comparisons. KMP makes at most 3 per haystack byte
    // and 3 per needle byte (one mismatch and one match per step, plus failure-link steps
    // that never outnumber the steps); a naive search would make about n·m/2 (8×10⁶ here,
    // against a bound of 18,000). The count does not need a big n, and a small one lets a
    // quadratic search fail in a second instead of hanging the run.
    @Test func adversarialInputIsLinear() {
        let n = 4_000
        let haystack = String(repeating: "a", count: n)
        let needle = String(repeating: "a", count: n / 2) + "b"
        // `contains` takes the general search for needles this long...
        #expect(needle.utf8.count > StringSearch.shortNeedle)
        #expect(!StringSearch.contains(haystack, needle))
        #expect(StringSearch.contains(haystack + "b", needle))
        // ...which, counted, stays within the linear bound.
        let counter = CountedByte.Counter()
        let search = SubsequenceSearch(needle.utf8.map { CountedByte(value: $0, counter: counter) })
        #expect(search.firstIndex(in: haystack.utf8.map { CountedByte(value: $0, counter: counter) }, from: 0) == nil)
        let bound = 3 * (haystack.utf8.count + needle.utf8.count)
        #expect(counter.comparisons > 0 && counter.comparisons <= bound, "\(counter.comparisons) comparisons, bound \(bound)")
    }
}
