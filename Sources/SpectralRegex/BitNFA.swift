/// Yes/no matching for programs with at most 64 thread states, simulating the NFA with
/// the set of live states held in one `UInt64`.
///
/// Compared with `PikeVM` this drops what `matches` does not need: thread priority
/// (any match will do) and capture slots. What is left is a set, so a step is "keep the
/// live states that accept this scalar (one mask AND), then OR together their
/// precomputed epsilon closures". Closures depend on assertions only through a
/// `PositionContext`, so they are precomputed per context the program can tell apart.
/// Each step is O(live states), so matching stays linear in the text, and it needs no
/// memory beyond a few registers: no allocation per call.
struct BitNFA: Sendable {
    static let maxStates = 64
    /// Bigger programs (long chains of saves/splits) make the closure tables slow to build.
    static let maxInstructions = 1024

    let stateCount: Int
    let matchMask: UInt64
    let partition: ScalarPartition
    /// Row `r` of `closures` (width `stateCount + 1`) is for the contexts with `row == r`:
    /// column s is the closure after consuming state s, column `stateCount` the closure
    /// of the program start.
    let closures: [UInt64]
    /// Maps each of the 64 `PositionContext` values to its row in `closures`; contexts
    /// that no assertion of the program can distinguish share a row.
    let rowOf: [UInt8]
    /// Context bits some assertion looks at.
    let usedContext: PositionContext
    /// Only offset 0 can start a match, so the start closure is not re-added later.
    let anchoredStart: Bool
    /// Instructions visited while building the closure tables: the work of building it,
    /// which a pattern compiled at run time pays for in fuel.
    let buildSteps: Int

    init?(_ program: Program) {
        let instructions = program.instructions
        guard instructions.count <= Self.maxInstructions else { return nil }
        var bitOf = [Int](repeating: -1, count: instructions.count)
        var stateClasses: [CharacterClass] = []
        var matchMask: UInt64 = 0
        var used: PositionContext = []
        for (pc, instruction) in instructions.enumerated() {
            switch instruction {
            case .scalar(let value): stateClasses.append(CharacterClass([value...value]))
            case .oneOf(let cls): stateClasses.append(cls)
            case .match:
                matchMask |= 1 << UInt64(stateClasses.count)
                stateClasses.append(CharacterClass())
            case .assert(let assertion):
                used.formUnion(PositionContext.inputs(of: assertion))
                continue
            case .split, .jump, .save:
                continue
            }
            guard stateClasses.count <= Self.maxStates else { return nil }
            bitOf[pc] = stateClasses.count - 1
        }
        let neighbourBits: PositionContext = [.afterNewline, .beforeNewline, .afterWord, .beforeWord]
        guard let partition = ScalarPartition(stateClasses: stateClasses, splitByTraits: !used.isDisjoint(with: neighbourBits))
        else { return nil }

        // Compress the used bits into a dense row number.
        var rowOf = [UInt8](repeating: 0, count: 64)
        var representative: [PositionContext] = []
        for raw in UInt8(0)..<64 {
            let masked = raw & used.rawValue
            if let row = representative.firstIndex(of: PositionContext(rawValue: masked)) {
                rowOf[Int(raw)] = UInt8(row)
            } else {
                rowOf[Int(raw)] = UInt8(representative.count)
                representative.append(PositionContext(rawValue: masked))
            }
        }

        let width = stateClasses.count + 1
        var closures = [UInt64](repeating: 0, count: representative.count * width)
        var statePC = [Int](repeating: 0, count: stateClasses.count)
        for (pc, bit) in bitOf.enumerated() where bit >= 0 { statePC[bit] = pc }
        var scratch = ClosureScratch(size: instructions.count)
        for (row, context) in representative.enumerated() {
            for bit in 0..<stateClasses.count where matchMask & (1 << UInt64(bit)) == 0 {
                closures[row * width + bit] = scratch.closure(from: statePC[bit] + 1, in: instructions, bitOf: bitOf, context: context)
            }
            closures[row * width + stateClasses.count] = scratch.closure(from: 0, in: instructions, bitOf: bitOf, context: context)
        }

        self.stateCount = stateClasses.count
        self.matchMask = matchMask
        self.partition = partition
        self.closures = closures
        self.rowOf = rowOf
        self.usedContext = used
        self.anchoredStart = program.anchoredStart
        self.buildSteps = scratch.steps
    }

    /// The union of the closures after each state in `consumed` (and of the program
    /// start if `start`), at a position with this context. For building `SetDFA`.
    func closure(after consumed: UInt64, start: Bool, context: PositionContext) -> UInt64 {
        let base = Int(rowOf[Int(context.rawValue)]) * (stateCount + 1)
        var result: UInt64 = start ? closures[base + stateCount] : 0
        var rest = consumed
        while rest != 0 {
            result |= closures[base + rest.trailingZeroBitCount]
            rest &= rest &- 1
        }
        return result
    }

    /// The live states after consuming a scalar that `live` states faced, at a position
    /// whose closure row is `row`. Adds the start closure unless the pattern is anchored.
    @inline(__always)
    func step(_ live: UInt64, scalar: UInt32, row: Int, closures table: UnsafeBufferPointer<UInt64>) -> UInt64 {
        let width = stateCount + 1
        let base = row * width
        var consuming = live & partition.mask(of: scalar)
        var next: UInt64 = anchoredStart ? 0 : table[base + stateCount]
        while consuming != 0 {
            next |= table[base + consuming.trailingZeroBitCount]
            consuming &= consuming &- 1
        }
        return next
    }

    @inline(__always)
    func row(_ context: PositionContext, _ rows: UnsafeBufferPointer<UInt8>) -> Int {
        Int(rows[Int(context.rawValue)])
    }

    /// True when the program matches somewhere in `bytes` (valid UTF-8).
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        closures.withUnsafeBufferPointer { table in
            rowOf.withUnsafeBufferPointer { rows in
                let end = bytes.count
                var index = 0
                // One scalar of lookahead: `\b`, `$` and friends look at the next scalar.
                var current = end > 0 ? UTF8Decoding.decode(bytes, &index) : UTF8Decoding.none
                let width = stateCount + 1
                var live = table[row(.between(UTF8Decoding.none, current), rows) * width + stateCount]
                while true {
                    if live & matchMask != 0 { return true }
                    if current == UTF8Decoding.none { return false }
                    let next = index < end ? UTF8Decoding.decode(bytes, &index) : UTF8Decoding.none
                    live = step(live, scalar: current, row: row(.between(current, next), rows), closures: table)
                    if live == 0 && anchoredStart { return false }
                    current = next
                }
            }
        }
    }
}

/// Buffers for computing many epsilon closures while building a `BitNFA`, reused so
/// that building does not allocate per closure. `seen` holds the generation number of
/// the closure that last visited each instruction.
private struct ClosureScratch {
    private var seen: [Int]
    private var generation = 0
    private var stack: [Int] = []
    /// Instructions visited so far, over all closures.
    private(set) var steps = 0

    init(size: Int) {
        seen = [Int](repeating: 0, count: size)
    }

    /// The states reachable from `start` without consuming input, at a position with
    /// the given context.
    mutating func closure(from start: Int, in instructions: [Instruction], bitOf: [Int], context: PositionContext) -> UInt64 {
        generation += 1
        stack.append(start)
        var result: UInt64 = 0
        while let pc = stack.popLast() {
            guard pc < instructions.count, seen[pc] != generation else { continue }
            seen[pc] = generation
            steps &+= 1
            switch instructions[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .save: stack.append(pc + 1)
            case .assert(let assertion): if context.satisfies(assertion) { stack.append(pc + 1) }
            case .scalar, .oneOf, .match: result |= 1 << UInt64(bitOf[pc])
            }
        }
        return result
    }
}
