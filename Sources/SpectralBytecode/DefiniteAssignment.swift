/// The verifier's definite-assignment pass: no register is read before it is written
/// on every path from the entry.
///
/// A forward dataflow over basic blocks: the state at a block's entry is the set of
/// registers assigned on every path reaching it (intersection at joins, the empty set
/// at the entry, "everything" before a block is first reached). Blocks never reached
/// are never executed, so their reads are not checked. Assumes the structural checks
/// passed: every operand, range and target is in range and the last instruction does
/// not fall through.
struct DefiniteAssignment {
    private let module: Module
    private let code: [Instruction]
    private let words: Int
    /// Block boundaries: block k spans `starts[k] ..< ends[k]`.
    private var starts: [Int] = []
    private var ends: [Int] = []
    /// The block starting at an instruction index, or -1.
    private var blockAt: [Int]

    init(_ module: Module) {
        self.module = module
        self.code = module.code
        self.words = (Int(module.registerCount) + 63) / 64
        self.blockAt = Array(repeating: -1, count: module.code.count)
        findBlocks()
    }

    private mutating func findBlocks() {
        let n = code.count
        var leader = Array(repeating: false, count: n)
        if n > 0 { leader[0] = true }
        for (i, ins) in code.enumerated() {
            let targets = Self.targets(ins)
            for t in targets { leader[t] = true }
            if (!targets.isEmpty || !ins.opcode.fallsThrough) && i + 1 < n { leader[i + 1] = true }
        }
        for i in 0..<n where leader[i] {
            if !starts.isEmpty { ends.append(i) }
            blockAt[i] = starts.count
            starts.append(i)
        }
        if !starts.isEmpty { ends.append(n) }
    }

    static func targets(_ ins: Instruction) -> [Int] {
        let kinds = ins.opcode.operands
        var result: [Int] = []
        if kinds.b == .target { result.append(Int(ins.b)) }
        if kinds.c == .target { result.append(Int(ins.c)) }
        return result
    }

    func check() throws(VerificationError) {
        let blockCount = starts.count
        guard blockCount > 0 else { return }
        // Entry states, flattened: block k owns words k*words ..< (k+1)*words.
        var entry = Array(repeating: UInt64.max, count: blockCount * words)
        var reached = Array(repeating: false, count: blockCount)
        for w in 0..<words { entry[w] = 0 }
        reached[0] = true

        var queue = [0]
        var queued = Array(repeating: false, count: blockCount)
        queued[0] = true
        var head = 0
        while head < queue.count {
            let block = queue[head]
            head += 1
            queued[block] = false
            // Compact the queue now and then so it stays O(blocks) in size.
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            var state = Array(entry[(block * words)..<((block + 1) * words)])
            try run(block, &state, checking: false)
            for (successor, extra) in successors(of: block) {
                var out = state
                for r in extra { Self.insert(r, into: &out) }
                let base = successor * words
                var changed = false
                if !reached[successor] {
                    reached[successor] = true
                    for w in 0..<words { entry[base + w] = out[w] }
                    changed = true
                } else {
                    for w in 0..<words {
                        let meet = entry[base + w] & out[w]
                        if meet != entry[base + w] { entry[base + w] = meet; changed = true }
                    }
                }
                if changed && !queued[successor] {
                    queued[successor] = true
                    queue.append(successor)
                }
            }
        }

        // The fixpoint is reached: replay each reachable block, now checking reads.
        for block in 0..<blockCount where reached[block] {
            var state = Array(entry[(block * words)..<((block + 1) * words)])
            try run(block, &state, checking: true)
        }
    }

    /// Successor blocks of `block`, each with the registers written only on that edge
    /// (`iterNext` and `iterNext2` assign their element registers only when they do not
    /// jump out).
    private func successors(of block: Int) -> [(Int, [Int])] {
        let last = ends[block] - 1
        let ins = code[last]
        var result: [(Int, [Int])] = []
        if ins.opcode.fallsThrough && last + 1 < code.count {
            let written: [Int]
            switch ins.opcode {
            case .iterNext: written = [Int(ins.b)]
            case .iterNext2: written = [Int(ins.b), Int(ins.b) + 1]
            default: written = []
            }
            result.append((blockAt[last + 1], written))
        }
        for t in Self.targets(ins) { result.append((blockAt[t], [])) }
        return result
    }

    /// Applies the block's instructions to `state`; with `checking`, throws on the
    /// first read of an unassigned register. The last instruction's edge-specific
    /// writes are left to `successors`.
    private func run(_ block: Int, _ state: inout [UInt64], checking: Bool) throws(VerificationError) {
        for index in starts[block]..<ends[block] {
            let ins = code[index]
            func read(_ r: Int) throws(VerificationError) {
                guard checking, !Self.contains(r, state) else { return }
                throw VerificationError(instruction: index, opcode: ins.opcode, rule: .readBeforeWrite,
                                        message: "r\(r) may be read before it is written")
            }
            func readRange(_ start: Int, _ count: Int) throws(VerificationError) {
                for r in start..<(start + count) { try read(r) }
            }
            let a = Int(ins.a), b = Int(ins.b), c = Int(ins.c)
            switch ins.opcode {
            case .makeList:
                try readRange(b, c)
                Self.insert(a, into: &state)
            case .makeMap:
                try readRange(b, 2 * c)
                Self.insert(a, into: &state)
            case .call:
                try readRange(c, Int(module.functions[b].arity))
                Self.insert(a, into: &state)
            case .iterInit:
                try read(b)
                Self.insert(a, into: &state)
                Self.insert(a + 1, into: &state)
            case .iterNext, .iterNext2:
                try read(a)
                try read(a + 1)
                // b (and b+1) are written on the fall-through edge only; as these always
                // end their block, `successors` adds them there.
            default:
                let kinds = ins.opcode.operands
                // branch, appendList and insertMap read the register they (may) write.
                if ins.opcode == .branch || ins.opcode == .appendList || ins.opcode == .insertMap { try read(a) }
                if kinds.a == .read { try read(a) }
                if kinds.b == .read { try read(b) }
                if kinds.c == .read { try read(c) }
                if kinds.a == .write { Self.insert(a, into: &state) }
                if kinds.b == .write { Self.insert(b, into: &state) }
                if kinds.c == .write { Self.insert(c, into: &state) }
            }
        }
    }

    private static func contains(_ r: Int, _ set: [UInt64]) -> Bool {
        set[r >> 6] & (1 << UInt64(r & 63)) != 0
    }

    private static func insert(_ r: Int, into set: inout [UInt64]) {
        set[r >> 6] |= 1 << UInt64(r & 63)
    }
}
