/// Compiles a `RegexNode` tree into a `Program` (Thompson construction).
///
/// Counted repetition is expanded by compiling the operand again for each copy, so
/// `(a{1000}){1000}` would need a million instructions; the instruction cap turns that
/// into a `PatternError` as soon as it is exceeded, before memory grows further.
struct ProgramCompiler {
    static let maxInstructions = 10_000

    private var instructions: [Instruction] = []

    static func compile(_ root: RegexNode, captureCount: Int) throws(PatternError) -> Program {
        var compiler = ProgramCompiler()
        _ = try compiler.emit(.save(0))
        try compiler.compile(root)
        _ = try compiler.emit(.save(1))
        _ = try compiler.emit(.match)
        return Program(
            instructions: compiler.instructions,
            slotCount: 2 * (captureCount + 1),
            anchoredStart: startsWithBeginText(root),
            firstScalar: requiredFirstScalar(root)
        )
    }

    private mutating func emit(_ instruction: Instruction) throws(PatternError) -> Int {
        guard instructions.count < Self.maxInstructions else {
            throw PatternError("pattern too large: compiled program exceeds \(Self.maxInstructions) instructions", at: 0)
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func compile(_ node: RegexNode) throws(PatternError) {
        switch node {
        case .empty:
            break
        case .literal(let value):
            _ = try emit(.scalar(value))
        case .charClass(let cls):
            _ = try emit(cls.singleScalar.map { .scalar($0) } ?? .oneOf(cls))
        case .assertion(let assertion):
            _ = try emit(.assert(assertion))
        case .group(let body, let capture):
            if let capture { _ = try emit(.save(2 * capture)) }
            try compile(body)
            if let capture { _ = try emit(.save(2 * capture + 1)) }
        case .concat(let items):
            for item in items { try compile(item) }
        case .alternate(let branches):
            var exits: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index == branches.count - 1 {
                    try compile(branch)
                } else {
                    let split = try emit(.split(0, 0))
                    try compile(branch)
                    exits.append(try emit(.jump(0)))
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for exit in exits { instructions[exit] = .jump(instructions.count) }
        case .repeat(let body, let min, let max, let greedy):
            try compileRepeat(body, min: min, max: max, greedy: greedy)
        }
    }

    private mutating func compileRepeat(_ body: RegexNode, min: Int, max: Int?, greedy: Bool) throws(PatternError) {
        guard let max else {
            if min == 0 {
                // L: split(body, exit); body; jump L
                let loop = try emit(.split(0, 0))
                try compile(body)
                _ = try emit(.jump(loop))
                instructions[loop] = prioritized(loop + 1, instructions.count, greedy)
            } else {
                // body{min-1}, then L: body; split(L, exit)
                for _ in 0..<(min - 1) { try compile(body) }
                let loop = instructions.count
                try compile(body)
                let split = try emit(.split(0, 0))
                instructions[split] = prioritized(loop, split + 1, greedy)
            }
            return
        }
        for _ in 0..<min { try compile(body) }
        // Each optional copy may bail out straight to the end: x{2,4} = xx(x(x)?)?
        var splits: [Int] = []
        for _ in 0..<(max - min) {
            splits.append(try emit(.split(0, 0)))
            try compile(body)
        }
        let exit = instructions.count
        for split in splits { instructions[split] = prioritized(split + 1, exit, greedy) }
    }

    /// Greedy prefers another iteration; lazy prefers leaving.
    private func prioritized(_ again: Int, _ leave: Int, _ greedy: Bool) -> Instruction {
        greedy ? .split(again, leave) : .split(leave, again)
    }

    private static func startsWithBeginText(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(let a): return a == .beginText
        case .concat(let items): return items.first.map(startsWithBeginText) ?? false
        case .group(let body, _): return startsWithBeginText(body)
        case .alternate(let branches): return branches.allSatisfy(startsWithBeginText)
        case .repeat(let body, let min, _, _): return min > 0 && startsWithBeginText(body)
        default: return false
        }
    }

    private static func requiredFirstScalar(_ node: RegexNode) -> UInt32? {
        switch node {
        case .literal(let value): return value
        case .charClass(let cls): return cls.singleScalar
        case .concat(let items): return items.first.flatMap(requiredFirstScalar)
        case .group(let body, _): return requiredFirstScalar(body)
        case .repeat(let body, let min, _, _): return min > 0 ? requiredFirstScalar(body) : nil
        default: return nil
        }
    }
}
