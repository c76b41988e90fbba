/// A DFA built eagerly, when the pattern is compiled, by subset construction over
/// `BitNFA` state sets; `matches` then costs one table lookup per input scalar.
///
/// Patterns are shared read-only across threads, so a lazily filled cache (RE2's
/// approach) would need locking or per-thread copies; building everything up front
/// keeps `matches` free of both. Construction stops at `maxStates` (subset construction
/// can blow up exponentially, e.g. `(a|b)*a(a|b){20}`), and those patterns keep using
/// `BitNFA`, which is still linear.
///
/// Assertions: a DFA state is the set of states *consumed* at the previous scalar, not
/// yet followed through their epsilon closures, plus the context bits that scalar
/// fixes (start of text, after newline, after word character). The closure is taken on
/// the next transition, when the next scalar's class supplies the rest of the context
/// (before newline, before word character), or at the end of the text with `atEnd`.
/// So `^`, `$`, `\b` and multi-line anchors need no special cases at run time.
struct SetDFA: Sendable {
    static let maxStates = 1024
    /// 256 KiB of table at most; typical patterns need a few KiB.
    static let maxTableEntries = 1 << 16

    /// Row-major `[state][column]`. A row has one column per ASCII byte (so ASCII text
    /// needs no class lookup at all) followed by one per partition class, used for
    /// non-ASCII scalars. Entries are the next state's row offset (`state * rowWidth`),
    /// so the hot loop does no multiplication.
    private let table: [UInt32]
    /// Indexed by row offset / rowWidth: does the pattern match if the text ends here?
    private let acceptsAtEnd: [Bool]
    private let partition: ScalarPartition
    private let rowWidth: Int
    private let start: UInt32

    /// Row offsets of the two absorbing states (dead = 0, matched = rowWidth); every
    /// other state is above them.
    private static let deadState: UInt32 = 0

    private struct Key: Hashable {
        /// States consumed by the last transition, closures still pending.
        var consumed: UInt64
        /// Whether the program start is pending too (a match may begin here).
        var startPending: Bool
        /// `atStart`, `afterNewline`, `afterWord`, restricted to bits assertions use.
        var context: PositionContext
    }

    init?(_ nfa: BitNFA) {
        let partition = nfa.partition
        let classCount = partition.classCount
        let rowWidth = 128 + classCount
        let used = nfa.usedContext
        guard rowWidth * 3 <= Self.maxTableEntries else { return nil }

        var keys: [Key] = []
        var ids: [Key: Int] = [:]
        ids.reserveCapacity(64)
        // Ids 0 and 1 are the dead and matched states (their keys are never looked up).
        let placeholder = Key(consumed: 0, startPending: false, context: [])
        keys = [placeholder, placeholder]
        func id(of key: Key) -> Int? {
            if let known = ids[key] { return known }
            guard keys.count < Self.maxStates, (keys.count + 1) * rowWidth <= Self.maxTableEntries else { return nil }
            ids[key] = keys.count
            keys.append(key)
            return keys.count - 1
        }
        let initial = Key(consumed: 0, startPending: true, context: PositionContext.atStart.intersection(used))
        guard let startID = id(of: initial) else { return nil }

        let asciiColumns = (UInt32(0)..<128).map { partition.classID(of: $0) }
        var table = [UInt32](repeating: 0, count: 2 * rowWidth)
        table.reserveCapacity(8 * rowWidth)
        // Matched is absorbing: once seen, every later transition stays matched.
        for column in 0..<rowWidth { table[rowWidth + column] = UInt32(rowWidth) }
        var acceptsAtEnd = [false, true]
        var next = 2
        while next < keys.count {
            let key = keys[next]
            var targets: [UInt32] = []
            targets.reserveCapacity(classCount)
            for k in 0..<classCount {
                let traits = partition.traits[k]
                var context = key.context
                if traits & ScalarPartition.newlineTrait != 0 { context.insert(.beforeNewline) }
                if traits & ScalarPartition.wordTrait != 0 { context.insert(.beforeWord) }
                let live = nfa.closure(after: key.consumed, start: key.startPending, context: context.intersection(used))
                let target: Int
                if live & nfa.matchMask != 0 {
                    target = 1
                } else {
                    var after: PositionContext = []
                    if traits & ScalarPartition.newlineTrait != 0 { after.insert(.afterNewline) }
                    if traits & ScalarPartition.wordTrait != 0 { after.insert(.afterWord) }
                    let successor = Key(
                        consumed: live & partition.masks[k],
                        startPending: !nfa.anchoredStart,
                        context: after.intersection(used)
                    )
                    if successor.consumed == 0 && !successor.startPending {
                        target = 0
                    } else {
                        guard let found = id(of: successor) else { return nil }
                        target = found
                    }
                }
                targets.append(UInt32(target * rowWidth))
            }
            for column in asciiColumns { table.append(targets[column]) }
            table.append(contentsOf: targets)
            let final = nfa.closure(after: key.consumed, start: key.startPending,
                                    context: key.context.union(.atEnd).intersection(used))
            acceptsAtEnd.append(final & nfa.matchMask != 0)
            next += 1
        }
        self.table = table
        self.acceptsAtEnd = acceptsAtEnd
        self.partition = partition
        self.rowWidth = rowWidth
        self.start = UInt32(startID * rowWidth)
    }

    var stateCount: Int { acceptsAtEnd.count }

    /// Heap bytes held: the transition table, the accepting flags and the partition.
    var residentBytes: Int { table.count * 4 + acceptsAtEnd.count + partition.residentBytes + 64 }

    /// True when the pattern matches somewhere in `bytes` (valid UTF-8).
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let absorbingLimit = UInt32(2 * rowWidth)
        return table.withUnsafeBufferPointer { table in
            var row = start
            var index = 0
            let end = bytes.count
            text: while index < end {
                // Eight ASCII bytes at a time, checking for a decided result once per
                // block: the dead and matched states are absorbing, so a late check
                // gives the same answer.
                while end &- index >= 8 {
                    var block = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
                    if block & 0x8080_8080_8080_8080 != 0 { break }
                    for _ in 0..<8 {
                        row = table[Int(row) &+ Int(block & 0xFF)]
                        block &>>= 8
                    }
                    if row < absorbingLimit { return row != Self.deadState }
                    index &+= 8
                }
                if index == end { break }
                // Shorter ASCII runs: one table load per byte.
                var byte = bytes[index]
                while byte < 0x80 {
                    row = table[Int(row) &+ Int(byte)]
                    if row < absorbingLimit { return row != Self.deadState }
                    index &+= 1
                    if index == end { break text }
                    byte = bytes[index]
                }
                let (classID, length) = nonASCIIClass(bytes, at: index)
                row = table[Int(row) &+ 128 &+ classID]
                if row < absorbingLimit { return row != Self.deadState }
                index &+= length
            }
            return acceptsAtEnd[Int(row) / rowWidth]
        }
    }

    /// Out of line so the ASCII loop keeps its values in registers.
    @inline(never)
    private func nonASCIIClass(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Int, Int) {
        let (scalar, length) = UTF8Decoding.decodeMultibyte(bytes, at: index)
        return (partition.nonASCIIClassID(of: scalar), length)
    }
}
