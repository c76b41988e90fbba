/// Linear-time (Knuth–Morris–Pratt) search for a needle in a haystack of code points or
/// bytes. The string extensions search user-supplied text for user-supplied patterns, so
/// a naive O(n·m) scan would let one call burn quadratic time on adversarial input.
struct SubsequenceSearch<Element: Equatable> {
    let needle: [Element]
    /// `failure[i]`: length of the longest proper border of `needle[0...i]`.
    private let failure: [Int]

    init(_ needle: [Element]) {
        self.needle = needle
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        var i = 1
        while i < needle.count {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
            i += 1
        }
        self.failure = failure
    }

    /// Start positions of successive non-overlapping matches in `haystack[start..<end]`,
    /// leftmost first, at most `limit` of them (nil: no limit). The needle must not be empty.
    func matches(in haystack: [Element], from start: Int = 0, to end: Int? = nil, limit: Int? = nil) -> [Int] {
        var found: [Int] = []
        let m = needle.count
        guard m > 0 else { return found }
        let end = min(end ?? haystack.count, haystack.count)
        var j = 0
        var i = max(start, 0)
        while i < end {
            if let limit, found.count >= limit { break }
            while j > 0 && haystack[i] != needle[j] { j = failure[j - 1] }
            if haystack[i] == needle[j] { j += 1 }
            i += 1
            if j == m {
                found.append(i - m)
                j = 0  // restart: matches must not overlap
            }
        }
        return found
    }

    /// The first match starting at or after `start`.
    func firstIndex(in haystack: [Element], from start: Int) -> Int? {
        matches(in: haystack, from: start, limit: 1).first
    }

    /// The last match starting at or before `start` (overlapping matches considered).
    func lastIndex(in haystack: [Element], atOrBefore start: Int) -> Int? {
        let m = needle.count
        guard m > 0, start >= 0 else { return nil }
        let end = min(start + m, haystack.count)
        var last: Int?
        var j = 0
        var i = 0
        while i < end {
            while j > 0 && haystack[i] != needle[j] { j = failure[j - 1] }
            if haystack[i] == needle[j] { j += 1 }
            i += 1
            if j == m {
                last = i - m
                j = failure[j - 1]  // keep overlapping candidates: we want the last one
            }
        }
        return last
    }
}
