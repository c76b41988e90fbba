/// A set of Unicode scalars kept as sorted, non-overlapping, non-adjacent closed ranges
/// of scalar values.
///
/// Ranges (rather than per-scalar sets) keep classes like `[^a]` or `\pL` small, and
/// make negation a simple walk over the gaps. A 128-bit ASCII bitmap is cached so the
/// common ASCII case is a mask test instead of a binary search.
struct CharacterClass: Sendable, Equatable {
    static let maxScalar: UInt32 = 0x10FFFF

    private(set) var ranges: [ClosedRange<UInt32>] = []
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    init() {}

    init(_ ranges: [ClosedRange<UInt32>]) {
        self.ranges = ranges
        canonicalize()
    }

    static let any = CharacterClass([0...maxScalar])
    static let anyExceptNewline = CharacterClass([0...9, 11...maxScalar])

    var isEmpty: Bool { ranges.isEmpty }

    /// The single scalar this class matches, if it matches exactly one.
    var singleScalar: UInt32? {
        if ranges.count == 1, let r = ranges.first, r.lowerBound == r.upperBound { return r.lowerBound }
        return nil
    }

    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 64 { return asciiLow & (1 << UInt64(scalar)) != 0 }
        if scalar < 128 { return asciiHigh & (1 << UInt64(scalar - 64)) != 0 }
        // Binary search for the last range whose lower bound is <= scalar.
        var lo = 0
        var hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].lowerBound <= scalar { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 && ranges[lo - 1].upperBound >= scalar
    }

    mutating func insert(_ range: ClosedRange<UInt32>) {
        ranges.append(range)
        canonicalize()
    }

    mutating func insert(_ scalar: UInt32) { insert(scalar...scalar) }

    mutating func formUnion(_ other: CharacterClass) {
        ranges.append(contentsOf: other.ranges)
        canonicalize()
    }

    /// The complement within all Unicode scalar values.
    func inverted() -> CharacterClass {
        var gaps: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { gaps.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
        }
        if next <= Self.maxScalar { gaps.append(next...Self.maxScalar) }
        return CharacterClass(gaps)
    }

    /// Adds every scalar that is case-equivalent to a member (simple case folding).
    /// Walks the fold table (a few thousand entries) instead of the class, so a huge
    /// class such as `[^a]` costs the same as a tiny one.
    func caseFolded() -> CharacterClass {
        var extra: [ClosedRange<UInt32>] = []
        for entry in CaseFolding.orbitList where contains(entry.scalar) {
            for other in entry.orbit { extra.append(other...other) }
        }
        if extra.isEmpty { return self }
        var result = self
        result.ranges.append(contentsOf: extra)
        result.canonicalize()
        return result
    }

    /// Counts the ranges canonicalization walks, for the task that sets it: how tests check
    /// that building a class costs time linear in its size without timing it (a parser that
    /// canonicalized after every item would walk a quadratic number). Nil, and free, otherwise.
    @TaskLocal static var meter: CanonicalizationMeter?

    /// Sorts, merges overlapping/adjacent ranges and refreshes the ASCII bitmap.
    private mutating func canonicalize() {
        Self.meter?.ranges += ranges.count
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(ranges.count)
        for r in ranges {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        ranges = merged
        asciiLow = 0
        asciiHigh = 0
        for r in ranges where r.lowerBound < 128 {
            for s in r.lowerBound...min(r.upperBound, 127) {
                if s < 64 { asciiLow |= 1 << UInt64(s) } else { asciiHigh |= 1 << UInt64(s - 64) }
            }
        }
    }
}

/// The tally behind `CharacterClass.meter`. Only the task that set it (a synchronous
/// pattern compile) updates it, hence `@unchecked`.
final class CanonicalizationMeter: @unchecked Sendable {
    var ranges = 0
}
