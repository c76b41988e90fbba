/// Runs a `Program` over text by Thompson/Pike simulation: all NFA threads advance in
/// lock step, one input scalar at a time, and a sparse set drops duplicate threads at
/// each position. Each position costs at most O(program size), so a whole search is
/// O(program size × text length) no matter how the pattern is written; there is no
/// backtracking to blow up.
///
/// Thread order in a list is priority order, which gives RE2's leftmost-first
/// semantics: once the highest-priority live thread reaches `match`, lower-priority
/// threads are discarded while higher-priority ones continue to look for a longer
/// (preferred) match.
struct PikeVM {
    private let program: Program
    private let text: [UInt32]
    /// 0 in yes/no mode: `save` becomes a no-op and no capture slots are copied.
    private let slotCount: Int

    init(program: Program, text: [UInt32], captures: Bool) {
        self.program = program
        self.text = text
        self.slotCount = captures ? program.slotCount : 0
    }

    /// Leftmost-first search. Returns the capture slots of the match (empty in yes/no
    /// mode), or nil when there is no match.
    func search() -> [Int]? {
        let instructions = program.instructions
        var current = ThreadList(size: instructions.count)
        var next = ThreadList(size: instructions.count)
        var scratch = [Int](repeating: -1, count: slotCount)
        var stack: [Frame] = []
        stack.reserveCapacity(instructions.count)
        var best: [Int]?
        let count = text.count
        var pos = 0

        while pos <= count {
            if best == nil && (pos == 0 || !program.anchoredStart) {
                if current.threads.isEmpty, let first = program.firstScalar {
                    // Nothing in flight: skip to the next place a match could begin.
                    current.clear()
                    while pos < count && text[pos] != first { pos += 1 }
                    if pos == count { break }
                }
                for i in 0..<slotCount { scratch[i] = -1 }
                addThread(&current, pc: 0, at: pos, slots: &scratch, stack: &stack)
            }
            if current.threads.isEmpty {
                if best != nil || program.anchoredStart { break }
                // Forget this position's visited marks (e.g. a failed `\b`) before moving on.
                current.clear()
                pos += 1
                continue
            }

            let scalar: UInt32? = pos < count ? text[pos] : nil
            next.clear()
            threadLoop: for t in 0..<current.threads.count {
                let pc = current.threads[t]
                let advances: Bool
                switch instructions[pc] {
                case .match:
                    if slotCount == 0 { return [] }
                    best = Array(current.slots[(t * slotCount)..<((t + 1) * slotCount)])
                    // Lower-priority threads could only produce less-preferred matches.
                    break threadLoop
                case .scalar(let expected):
                    advances = scalar == expected
                case .oneOf(let cls):
                    advances = scalar.map { cls.contains($0) } ?? false
                default:
                    advances = false  // never stored as a thread
                }
                if advances {
                    for i in 0..<slotCount { scratch[i] = current.slots[t * slotCount + i] }
                    addThread(&next, pc: pc + 1, at: pos + 1, slots: &scratch, stack: &stack)
                }
            }
            swap(&current, &next)
            pos += 1
        }
        return best
    }

    private enum Frame {
        case explore(Int)
        /// Undo a `save` once the branch that saw it has been fully explored.
        case restore(slot: Int, value: Int)
    }

    /// Follows jumps, splits, saves and assertions from `pc` at position `pos`, adding
    /// every reachable consuming/match instruction to `list` in priority order. Uses an
    /// explicit stack so long chains of instructions cannot overflow the call stack.
    private func addThread(_ list: inout ThreadList, pc start: Int, at pos: Int, slots: inout [Int], stack: inout [Frame]) {
        let instructions = program.instructions
        stack.append(.explore(start))
        while let frame = stack.popLast() {
            switch frame {
            case .restore(let slot, let value):
                slots[slot] = value
            case .explore(let pc):
                guard pc < instructions.count, list.insert(pc) else { continue }
                switch instructions[pc] {
                case .jump(let target):
                    stack.append(.explore(target))
                case .split(let first, let second):
                    stack.append(.explore(second))
                    stack.append(.explore(first))
                case .save(let slot):
                    if slot < slots.count {
                        stack.append(.restore(slot: slot, value: slots[slot]))
                        slots[slot] = pos
                    }
                    stack.append(.explore(pc + 1))
                case .assert(let assertion):
                    if holds(assertion, at: pos) { stack.append(.explore(pc + 1)) }
                case .scalar, .oneOf, .match:
                    list.threads.append(pc)
                    list.slots.append(contentsOf: slots)
                }
            }
        }
    }

    private func holds(_ assertion: Assertion, at pos: Int) -> Bool {
        switch assertion {
        case .beginText: return pos == 0
        case .endText: return pos == text.count
        case .beginLine: return pos == 0 || text[pos - 1] == 0x0A
        case .endLine: return pos == text.count || text[pos] == 0x0A
        case .wordBoundary: return isWord(pos - 1) != isWord(pos)
        case .notWordBoundary: return isWord(pos - 1) == isWord(pos)
        }
    }

    private func isWord(_ index: Int) -> Bool {
        index >= 0 && index < text.count && UnicodeClasses.isWordScalar(text[index])
    }
}

/// The threads alive at one input position. `sparse`/`dense` form a sparse set over
/// program counters (O(1) insert, membership and clear, allocated once per search);
/// `threads` keeps only the instructions that wait for input, in priority order, with
/// their capture slots packed in `slots`.
struct ThreadList {
    private var sparse: [Int]
    private var dense: [Int]
    private var visited = 0
    var threads: [Int] = []
    var slots: [Int] = []

    init(size: Int) {
        sparse = [Int](repeating: 0, count: size)
        dense = [Int](repeating: 0, count: size)
        threads.reserveCapacity(size)
    }

    /// Marks `pc` as visited at this position; false if it already was.
    mutating func insert(_ pc: Int) -> Bool {
        let index = sparse[pc]
        if index < visited && dense[index] == pc { return false }
        sparse[pc] = visited
        dense[visited] = pc
        visited += 1
        return true
    }

    mutating func clear() {
        visited = 0
        threads.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
    }
}
