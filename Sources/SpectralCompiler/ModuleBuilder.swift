import SpectralBytecode
import SpectralSyntax

/// Accumulates a module while the code generator walks the AST: instructions with their
/// spans, deduplicated pools, registers, and labels with forward fixups.
struct ModuleBuilder {
    private(set) var code: [Instruction] = []
    private(set) var spans: [SourceRange] = []
    private var constants = Pool<Constant, Constant> { $0 }
    // Names are pooled by their bytes: Swift's `String` equality would merge canonically
    // equivalent but different names, which CEL keeps apart.
    private var names = Pool<String, [UInt8]> { Array($0.utf8) }
    private var variables = Pool<String, [UInt8]> { Array($0.utf8) }
    private var functions = Pool<FunctionRef, FunctionRef> { $0 }

    /// Registers in use form a stack: `top` is the next free one.
    private(set) var top = 0
    private var maxRegisters = 1

    struct Label { let id: Int }
    private var labelTargets: [Int?] = []
    private var fixups: [(instruction: Int, operand: KeyPath<Instruction, UInt32>, label: Int)] = []

    var currentSpan = SourceRange.unknown

    // MARK: Pools

    mutating func constant(_ c: Constant) throws(CompileError) -> UInt32 {
        try wide(constants.index(of: c), "constants")
    }

    mutating func name(_ n: String) throws(CompileError) -> UInt32 {
        try wide(names.index(of: n), "field names")
    }

    mutating func variable(_ v: String) throws(CompileError) -> UInt32 {
        try wide(variables.index(of: v), "variables")
    }

    mutating func function(_ f: FunctionRef) throws(CompileError) -> UInt32 {
        try wide(functions.index(of: f), "functions")
    }

    private func wide(_ value: Int, _ what: String) throws(CompileError) -> UInt32 {
        guard value <= Int(Instruction.maxWideOperand) else { throw CompileError("too many \(what)") }
        return UInt32(value)
    }

    // MARK: Registers

    mutating func allocate(_ count: Int = 1) throws(CompileError) -> Int {
        let first = top
        top += count
        guard top <= Int(UInt16.max) else { throw CompileError("expression needs too many registers") }
        maxRegisters = max(maxRegisters, top)
        return first
    }

    /// Frees every register allocated since `mark` (stack discipline).
    mutating func release(to mark: Int) { top = mark }

    // MARK: Code

    mutating func emit(_ opcode: Opcode, a: Int = 0, b: UInt32 = 0, c: UInt32 = 0) {
        code.append(Instruction(opcode, a: UInt16(a), b: b, c: c))
        spans.append(currentSpan)
    }

    mutating func emit(_ opcode: Opcode, a: Int, b: Int, c: Int = 0) {
        emit(opcode, a: a, b: UInt32(b), c: UInt32(c))
    }

    /// Starts a basic block: a fuel charge whose units are filled in by `finish`.
    mutating func beginBlock() {
        if let last = code.last, last.opcode == .fuel { return }
        emit(.fuel, b: 1)
    }

    mutating func newLabel() -> Label {
        labelTargets.append(nil)
        return Label(id: labelTargets.count - 1)
    }

    /// Places a label here; every label starts a block.
    mutating func place(_ label: Label) {
        beginBlock()
        labelTargets[label.id] = code.count - 1
    }

    /// Comprehension loops, by the instructions they span (`start` is the loop head's
    /// `fuel`, `end` the exit's): each block in a span runs at most `times` times per run
    /// of the span's enclosing code, nil when the range's size is unknown (an input
    /// without `maxItems`/`maxProperties`).
    private var loops: [(start: Int, end: Int, times: UInt64?)] = []

    /// Run-time work of size-charged instructions beyond their price, by the instruction's
    /// index: nil when the sizes it depends on are unknown (`OperationWorkBound`,
    /// `CallWorkBound`).
    private var works: [(at: Int, units: UInt64?)] = []

    /// Records the work of the instruction just emitted.
    mutating func recordWork(_ units: UInt64?) {
        works.append((code.count - 1, units))
    }

    /// Places a loop's head label; returns where its span starts.
    mutating func placeLoopHead(_ label: Label) -> Int {
        place(label)
        return code.count - 1
    }

    /// Records a loop spanning from `start` to here (its exit's `fuel`, placed next).
    /// `iterations` bounds the range's elements: the head runs once more, to exit.
    mutating func recordLoop(from start: Int, iterations: UInt64?) {
        beginBlock()
        loops.append((start, code.count - 1, iterations.map { $0 == .max ? .max : $0 + 1 }))
    }

    /// Emits a jump-like instruction whose operand b (and optionally c) targets labels.
    mutating func emitJump(_ opcode: Opcode, a: Int = 0, b: Label, c: Label? = nil) {
        emit(opcode, a: a)
        fixups.append((code.count - 1, \Instruction.b, b.id))
        if let c { fixups.append((code.count - 1, \Instruction.c, c.id)) }
    }

    /// Like `emitJump` with a plain operand b and a label in c.
    mutating func emitJump(_ opcode: Opcode, a: Int, b: Int, c: Label) {
        emit(opcode, a: a, b: UInt32(b))
        fixups.append((code.count - 1, \Instruction.c, c.id))
    }

    // MARK: Finishing

    /// Resolves labels, fills in each block's fuel charge from the cost table,
    /// computes the static cost bound and declares each variable as `declaration` says.
    mutating func finish(declaration: (String) -> DeclaredType) throws(CompileError) -> Module {
        for fixup in fixups {
            guard let target = labelTargets[fixup.label] else { throw CompileError("internal: unplaced label") }
            let value = try wide(target, "instructions")
            if fixup.operand == \Instruction.b { code[fixup.instruction].b = value } else { code[fixup.instruction].c = value }
        }
        // The bound: each block's charge times how often it can run, the product of the
        // iteration bounds of the loops around it. One loop over a range of unknown size
        // (or a loop the generator did not record) leaves the bound unknown.
        var unbounded = loops.contains { $0.times == nil }
        var bound: UInt64 = 0
        var i = 0
        while i < code.count {
            if code[i].opcode == .fuel {
                var units: UInt32 = 0
                var j = i + 1
                var enclosing = loops.filter { $0.start <= i && i < $0.end }
                while j < code.count && code[j].opcode != .fuel {
                    units = units &+ CostTable.cost(of: code[j])
                    if (code[j].opcode == .iterNext || code[j].opcode == .iterNext2) && !loops.contains(where: { $0.start == i }) {
                        unbounded = true
                    }
                    j += 1
                }
                code[i].b = min(max(units, 1), Instruction.maxWideOperand)
                var charge = UInt64(code[i].b)
                while let loop = enclosing.popLast(), let times = loop.times {
                    let (product, overflow) = charge.multipliedReportingOverflow(by: times)
                    charge = overflow ? .max : product
                }
                let (sum, overflow) = bound.addingReportingOverflow(charge)
                bound = overflow ? .max : sum
                i = j
            } else {
                i += 1
            }
        }
        // Each size-charged instruction's work, as often as the loops around it run. One
        // whose work was not recorded cannot be priced: the bound is unknown.
        let priced = Set(works.map(\.at))
        if code.indices.contains(where: { CostTable.chargesBeyondPrice(code[$0].opcode) && !priced.contains($0) }) {
            unbounded = true
        }
        for work in works {
            guard var charge = work.units else { unbounded = true; continue }
            for loop in loops where loop.start <= work.at && work.at < loop.end {
                guard let times = loop.times else { continue }
                let (product, overflow) = charge.multipliedReportingOverflow(by: times)
                charge = overflow ? .max : product
            }
            let (sum, overflow) = bound.addingReportingOverflow(charge)
            bound = overflow ? .max : sum
        }
        let hasLoop = unbounded
        return Module(constants: constants.entries, names: names.entries, variables: variables.entries,
                      declarations: variables.entries.map(declaration), functions: functions.entries,
                      registerCount: UInt16(maxRegisters), code: code, spans: spans,
                      costBound: hasLoop ? UInt64.max : bound)
    }
}

/// A failure to generate code for a checked expression (limits of the format).
public struct CompileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One index per distinct entry, in order of first use.
struct Pool<Entry, Key: Hashable> {
    private(set) var entries: [Entry] = []
    private var indices: [Key: Int] = [:]
    private let key: (Entry) -> Key

    init(key: @escaping (Entry) -> Key) { self.key = key }

    mutating func index(of entry: Entry) -> Int {
        let k = key(entry)
        if let index = indices[k] { return index }
        entries.append(entry)
        indices[k] = entries.count - 1
        return entries.count - 1
    }
}
