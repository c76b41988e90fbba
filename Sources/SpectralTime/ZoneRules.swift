/// The UTC-offset history of one named zone, decoded from a TZif file:
/// a sorted list of transitions, and the POSIX TZ rule from the file's
/// footer for instants after the last transition (so years like 2100 keep
/// their daylight-saving changes although the table stops around 2037).
///
/// Immutable after construction, hence safe to share between threads.
final class ZoneRules: Sendable {
    let name: String
    /// Transition instants (Unix seconds), ascending.
    let transitions: [Int64]
    /// UTC offset in effect from `transitions[i]` on.
    let offsets: [Int32]
    /// Offset before the first transition (local time type 0, per RFC 8536).
    let initialOffset: Int32
    /// Rule for instants at/after the last transition; nil when absent or too
    /// exotic to parse, in which case the last transition's offset stays.
    let footer: PosixTZ?

    init(name: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32, footer: PosixTZ?) {
        self.name = name
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = initialOffset
        self.footer = footer
    }

    func utcOffset(at instant: Int64) -> Int32 {
        // The public API accepts any Int64, but the calendar arithmetic of the
        // footer rule would overflow near Int64.max. Offsets only matter for
        // CEL's timestamp range, so clamp to it (with a day's slack).
        let t = Swift.min(Swift.max(instant, Timestamp.minSeconds - 86_400), Timestamp.maxSeconds + 86_400)
        guard let last = transitions.last, let lastOffset = offsets.last else {
            return footer?.utcOffset(at: t) ?? initialOffset
        }
        if t >= last {
            return footer?.utcOffset(at: t) ?? lastOffset
        }
        guard let first = transitions.first, t >= first else { return initialOffset }
        // Largest i with transitions[i] <= t (binary search).
        var lo = 0, hi = transitions.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if transitions[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return offsets[lo]
    }
}
