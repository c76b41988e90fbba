import SpectralBytecode
import SpectralRegex

/// Runs one `Executable`, evaluation after evaluation, reusing its heap and registers.
///
/// Lifecycle: `init` materialises the constants into the heap (below the baseline);
/// `bind` resets the heap to the baseline and stores the input variables (the
/// caller builds them in `heap` first, e.g. with `JSONBinder`); `run` resets to the
/// input mark, so the same bound input can be evaluated repeatedly.
public struct Machine: Sendable {
    public let executable: Executable
    public var heap: Heap
    public var limits: Limits
    var registers: [Value]
    var constants: [Value]
    var variables: [Value]
    /// "Undeclared reference" errors for each variable slot, built once below the baseline.
    let unboundVariables: [Value]
    /// The name of each declared field of the schemas (`SchemaPlan.fields`), built once below
    /// the baseline: the keys of every object bound by schema, shared rather than built per
    /// input. A layout's names all together are the heap's `layoutKeys`.
    let fieldNames: [Value]
    /// The direct binder's stack of values being collected, kept for its capacity.
    private var bindingStack = BindingStack()
    /// The direct binder's guesses at which field an object lists next, learnt from the
    /// inputs bound so far (`DirectSchemaBinder.hints`).
    var bindingHints: [Int8] = []
    let baseline: Heap.Mark
    var inputMark: Heap.Mark

    public init(_ executable: Executable, limits: Limits = Limits()) {
        self.executable = executable
        self.limits = limits
        var heap = Heap(memoryLimit: Int.max)
        var constants: [Value] = []
        for constant in executable.module.constants {
            constants.append((try? heap.materialize(constant, earlier: constants)) ?? .null)
        }
        // Constants (and the errors unbound variables evaluate to) belong to the program,
        // not to an evaluation: they stay below the baseline and are not charged against
        // the evaluation's memory limit.
        let unbound = executable.module.variables.map { name in
            heap.makeError("no such attribute: the input has no '\(name)'")
        }
        let names = executable.schemaPlan.fields.map { field in
            (try? heap.makeString(field.name)) ?? .null  // the heap has no limit yet
        }
        fieldNames = names
        heap.layoutKeys = Self.layoutKeys(executable.schemaPlan, names: names)
        var baseline = heap.mark
        baseline.usedBytes = 0
        heap.reset(to: baseline)
        heap.memoryLimit = limits.memory
        self.heap = heap
        self.constants = constants
        self.baseline = baseline
        self.inputMark = baseline
        self.registers = Array(repeating: .null, count: Int(executable.module.registerCount))
        self.variables = unbound
        self.unboundVariables = unbound
        beginBinding()
        endBinding()
    }

    /// Each layout's field names in field order, from the first object node that has it
    /// (every node of one layout has the same fields).
    private static func layoutKeys(_ plan: SchemaPlan, names: [Value]) -> [[Value]] {
        var keys = [[Value]](repeating: [], count: plan.layouts.count)
        for node in plan.nodes where node.kind == .object && node.layout >= 0 && keys[Int(node.layout)].isEmpty {
            keys[Int(node.layout)] = Array(names[Int(node.fieldStart)..<Int(node.fieldStart + node.fieldCount)])
        }
        return keys
    }

    /// Starts binding a new input: everything from the previous input and evaluation is dropped.
    public mutating func beginBinding() {
        heap.pc = -1
        heap.reset(to: baseline)
        for slot in variables.indices { variables[slot] = unboundVariables[slot] }
    }

    /// Binds variable `name` (a value already built in `heap`); ignores names the program does not use.
    public mutating func bind(_ name: String, to value: Value) {
        if let slot = slot(of: name) { variables[slot] = value }
    }

    /// The variable slot of `name`, or nil when the program does not use it.
    public func slot(of name: String) -> Int? {
        executable.module.variables.firstIndex { StringBytes.equal($0, name) }
    }

    /// Binds a variable by slot.
    public mutating func bind(slot: Int, to value: Value) {
        variables[slot] = value
    }

    /// Ends binding: the input stays in the heap for every following `run`.
    public mutating func endBinding() {
        inputMark = heap.mark
    }

    /// Evaluates the program against the bound input.
    public mutating func run() -> Outcome {
        run(metering: Metered.self, fuel: limits.fuel)
    }

    /// Evaluates with at most `budget` fuel (never more than the limits give): running out
    /// is `fuelExhausted(limit: budget)`. Runs are pure, so a run cut short and run again
    /// with the whole fuel ends as one run with the whole fuel would have (the server tries
    /// a short slice inline before sending an evaluation off to a thread of its own).
    public mutating func run(fuelAtMost budget: UInt64) -> Outcome {
        run(metering: Metered.self, fuel: min(budget, limits.fuel))
    }

    /// Evaluates without charging fuel: for measuring what metering costs, never for
    /// untrusted programs (memory is still limited).
    public mutating func runUnmetered() -> Outcome {
        run(metering: Unmetered.self, fuel: limits.fuel)
    }

    private mutating func run<Metering: FuelMetering>(metering: Metering.Type, fuel budget: UInt64) -> Outcome {
        heap.reset(to: inputMark)
        var fuel = Int64(clamping: budget)
        heap.fuelLimit = Metering.enabled ? budget : .max
        heap.pc = -1
        do {
            let value = try Interpreter.run(executable, registers: &registers, heap: &heap,
                                            constants: constants, variables: variables,
                                            fuel: &fuel, metering: metering)
            return Outcome(result: .value(value), fuelUsed: budget - UInt64(max(fuel, 0)))
        } catch {
            return Outcome(result: .trap(error, span(of: heap.pc)), fuelUsed: budget)
        }
    }

    // MARK: Traced registers

    /// What a traced register holds before any `trace` writes it: an error handle no heap
    /// ever makes, so "not reached" differs from every value a run can record.
    private static let untraced = Value.error(.max)

    /// Empties registers `0..<count`, the ones an explained program traces into, before
    /// a run: what the run does not reach then reads as nil, never as an earlier run's value.
    public mutating func clearTraces(_ count: Int) {
        for register in 0..<min(count, registers.count) { registers[register] = Self.untraced }
    }

    /// The value the last run traced into `register`, or nil when it traced none (since
    /// `clearTraces`). Valid until the next `run` or binding, like every heap value.
    public func traced(_ register: Int) -> Value? {
        guard register < registers.count else { return nil }
        if case .error(.max) = registers[register] { return nil }
        return registers[register]
    }

    /// The source span of instruction `pc`; unknown for -1 (no instruction).
    func span(of pc: Int) -> SourceRange {
        pc >= 0 && pc < executable.module.spans.count ? executable.module.spans[pc] : .unknown
    }

    /// Where in the source an error value was made (the span of the instruction that made
    /// it); unknown for errors no instruction made, such as an unbound variable's.
    public func origin(ofError value: Value) -> SourceRange {
        guard case .error(let handle) = value, Int(handle) < heap.errorOrigins.count else { return .unknown }
        return span(of: Int(heap.errorOrigins[Int(handle)]))
    }

    public struct Outcome: Sendable {
        public enum Result: Sendable {
            case value(Value)
            case trap(Trap, SourceRange)
        }
        public var result: Result
        public var fuelUsed: UInt64
    }
}

/// Per-evaluation resource limits.
public struct Limits: Sendable, Hashable {
    /// Fuel units one evaluation may use.
    public var fuel: UInt64
    /// Bytes of values one evaluation may build.
    public var memory: Int

    public init(fuel: UInt64 = 1_000_000, memory: Int = 8 << 20) {
        self.fuel = fuel
        self.memory = memory
    }
}

extension Heap {
    /// Builds the runtime value of a constant-pool entry; composite entries refer to
    /// `earlier` ones (the verifier guarantees they are earlier).
    mutating func materialize(_ constant: Constant, earlier: [Value]) throws(Trap) -> Value {
        switch constant {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return .uint(u)
        case .double(let d): return .double(d)
        case .string(let s): return try makeString(s)
        case .bytes(let b): return try makeBytes(b)
        case .type(let name): return TypeKind(name: name).map(Value.type) ?? makeError("unknown type \(name)")
        case .timestamp(let s, let n): return .timestamp(seconds: s, nanos: n)
        case .duration(let s, let n): return .duration(seconds: s, nanos: n)
        case .list(let indices): return try makeList(indices.map { earlier[Int($0)] })
        case .map(let indices):
            let keys = stride(from: 0, to: indices.count, by: 2).map { earlier[Int(indices[$0])] }
            let values = stride(from: 1, to: indices.count, by: 2).map { earlier[Int(indices[$0])] }
            return try makeMap(keys: keys, values: values)
        }
    }
}

extension Machine {
    /// The binding stack, this machine's own: a copied machine shares its original's until
    /// one of them binds, which then makes its own (one check a binding, not one a write).
    mutating func takeBindingStack() -> BindingStack {
        if !isKnownUniquelyReferenced(&bindingStack) { bindingStack = BindingStack() }
        return bindingStack
    }
}
