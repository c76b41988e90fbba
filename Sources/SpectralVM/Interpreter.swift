import SpectralBytecode

/// The run loop. It trusts the verifier: operand indices are in range, jump targets land
/// on `fuel` (a block is entered through it, `enterBlock`), no register is read before it
/// is written. It never allocates on its own behalf; values it builds go to the heap, CEL
/// errors are values, and only fuel or memory exhaustion (traps) leave the loop early.
enum Interpreter {
    static func run<Metering: FuelMetering>(
        _ executable: Executable, registers: inout [Value], heap: inout Heap,
        constants: [Value], variables: [Value], fuel: inout Int64, metering: Metering.Type
    ) throws(Trap) -> Value {
        let limit = UInt64(max(fuel, 0))
        return try executable.code.withUnsafeBufferPointer { code throws(Trap) -> Value in
            try registers.withUnsafeMutableBufferPointer { r throws(Trap) -> Value in
                var pc = 0
                /// Enters the block whose head, a `fuel` instruction, is `target`: charges its
                /// units and the work owed since the last block, checks memory, and goes on
                /// after it. Jumps call it for their targets (which the verifier makes block
                /// heads), so a taken jump pays the block's fuel itself instead of dispatching
                /// its `fuel` instruction; same charge, same checks, same pc on a trap.
                @inline(__always)
                func enterBlock(at target: Int) throws(Trap) {
                    if Metering.enabled {
                        fuel -= Int64(truncatingIfNeeded: (code[target] >> 24) & 0xFFFFF) + Int64(heap.takeWork())
                        if fuel < 0 { heap.pc = target; throw Trap.fuelExhausted(limit: limit) }
                    }
                    if heap.usedBytes > heap.memoryLimit {
                        heap.pc = target
                        throw Trap.memoryExhausted(limit: heap.memoryLimit)
                    }
                    pc = target + 1
                }
                /// The same for the instruction after `pc` when it is a block head (as after a
                /// conditional jump not taken): true when it was entered.
                @inline(__always)
                func enterNextBlock() throws(Trap) -> Bool {
                    guard UInt8(truncatingIfNeeded: code[pc + 1]) == Opcode.fuel.rawValue else { return false }
                    try enterBlock(at: pc + 1)
                    return true
                }
                while true {
                    let word = code[pc]
                    let a = Int(truncatingIfNeeded: (word >> 8) & 0xFFFF)
                    let b = Int(truncatingIfNeeded: (word >> 24) & 0xFFFFF)
                    let c = Int(truncatingIfNeeded: word >> 44)
                    switch unsafeBitCast(UInt8(truncatingIfNeeded: word), to: Opcode.self) {
                    case .fuel:
                        try enterBlock(at: pc)
                        continue
                    case .jump:
                        try enterBlock(at: b)
                        continue
                    case .jumpIfFalse:
                        if case .bool(false) = r[a] { try enterBlock(at: b); continue }
                        if try enterNextBlock() { continue }
                    case .jumpIfTrue:
                        if case .bool(true) = r[a] { try enterBlock(at: b); continue }
                        if try enterNextBlock() { continue }
                    case .branch:
                        switch r[a] {
                        case .bool(true): if try enterNextBlock() { continue }
                        case .bool(false): try enterBlock(at: b); continue
                        case .error: pc = c; continue
                        default:
                            heap.pc = pc; r[a] = heap.makeError("no matching overload for '_?_:_' applied to \(r[a].typeKind.name)")
                            pc = c
                            continue
                        }
                    case .ret:
                        if Metering.enabled {
                            // Work done since the last block head is owed too.
                            fuel -= Int64(heap.takeWork())
                            if fuel < 0 { heap.pc = pc; throw Trap.fuelExhausted(limit: limit) }
                        }
                        return r[a]
                    case .loadConst: r[a] = constants[b]
                    case .loadVar: r[a] = variables[b]
                    case .move, .trace: r[a] = r[b]

                    case .add:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): heap.pc = pc; r[a] = Arithmetic.addInt(x, y, &heap)
                        case (.double(let x), .double(let y)): r[a] = .double(x + y)
                        default: heap.pc = pc; r[a] = try Arithmetic.add(r[b], r[c], &heap)
                        }
                    case .sub:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): heap.pc = pc; r[a] = Arithmetic.subtractInt(x, y, &heap)
                        case (.double(let x), .double(let y)): r[a] = .double(x - y)
                        default: heap.pc = pc; r[a] = Arithmetic.subtract(r[b], r[c], &heap)
                        }
                    case .mul:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): heap.pc = pc; r[a] = Arithmetic.multiplyInt(x, y, &heap)
                        case (.double(let x), .double(let y)): r[a] = .double(x * y)
                        default: heap.pc = pc; r[a] = Arithmetic.multiply(r[b], r[c], &heap)
                        }
                    case .div: heap.pc = pc; r[a] = Arithmetic.divide(r[b], r[c], &heap)
                    case .mod: heap.pc = pc; r[a] = Arithmetic.remainder(r[b], r[c], &heap)
                    // Dynamic comparisons: inline the same-type scalar cases (most `dyn`
                    // input values are ints or doubles), dispatch the rest.
                    case .eq:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): r[a] = .bool(x == y)
                        case (.double(let x), .double(let y)): r[a] = .bool(x == y)
                        case (.bool(let x), .bool(let y)): r[a] = .bool(x == y)
                        default: heap.pc = pc; r[a] = Operators.equal(r[b], r[c], &heap)
                        }
                    case .ne:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): r[a] = .bool(x != y)
                        case (.double(let x), .double(let y)): r[a] = .bool(x != y)
                        case (.bool(let x), .bool(let y)): r[a] = .bool(x != y)
                        default: heap.pc = pc; r[a] = Operators.notEqual(r[b], r[c], &heap)
                        }
                    case .lt:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): r[a] = .bool(x < y)
                        case (.double(let x), .double(let y)): r[a] = .bool(x < y)
                        default: heap.pc = pc; r[a] = Operators.relation(.less, r[b], r[c], &heap)
                        }
                    case .le:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): r[a] = .bool(x <= y)
                        case (.double(let x), .double(let y)): r[a] = .bool(x <= y)
                        default: heap.pc = pc; r[a] = Operators.relation(.lessOrEqual, r[b], r[c], &heap)
                        }
                    case .gt:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): r[a] = .bool(x > y)
                        case (.double(let x), .double(let y)): r[a] = .bool(x > y)
                        default: heap.pc = pc; r[a] = Operators.relation(.greater, r[b], r[c], &heap)
                        }
                    case .ge:
                        switch (r[b], r[c]) {
                        case (.int(let x), .int(let y)): r[a] = .bool(x >= y)
                        case (.double(let x), .double(let y)): r[a] = .bool(x >= y)
                        default: heap.pc = pc; r[a] = Operators.relation(.greaterOrEqual, r[b], r[c], &heap)
                        }
                    case .in: heap.pc = pc; r[a] = Operators.contains(r[b], r[c], &heap)
                    case .index:
                        // Optionals allocate (and may trap); the common path stays as it was.
                        if case .object(.optional, _) = r[b] {
                            heap.pc = pc
                            heap.pc = pc; r[a] = try OptionalValues.optionalIndex(r[b], r[c], &heap)
                        } else {
                            heap.pc = pc; r[a] = Operators.index(r[b], r[c], &heap)
                        }
                    case .neg: heap.pc = pc; r[a] = Arithmetic.negate(r[b], &heap)
                    case .not: heap.pc = pc; r[a] = Operators.not(r[b], &heap)
                    case .and: heap.pc = pc; r[a] = Operators.and(r[b], r[c], &heap)
                    case .or: heap.pc = pc; r[a] = Operators.or(r[b], r[c], &heap)
                    case .notStrictlyFalse:
                        if case .bool(false) = r[b] { r[a] = .bool(false) } else { r[a] = .bool(true) }

                    // Typed fast paths: fall back to the dynamic operator for errors.
                    case .addInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] {
                            heap.pc = pc; r[a] = Arithmetic.addInt(x, y, &heap)
                        } else { heap.pc = pc; r[a] = try Arithmetic.add(r[b], r[c], &heap) }
                    case .subInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] {
                            heap.pc = pc; r[a] = Arithmetic.subtractInt(x, y, &heap)
                        } else { heap.pc = pc; r[a] = Arithmetic.subtract(r[b], r[c], &heap) }
                    case .mulInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] {
                            heap.pc = pc; r[a] = Arithmetic.multiplyInt(x, y, &heap)
                        } else { heap.pc = pc; r[a] = Arithmetic.multiply(r[b], r[c], &heap) }
                    case .divInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] {
                            heap.pc = pc; r[a] = Arithmetic.divideInt(x, y, &heap)
                        } else { heap.pc = pc; r[a] = Arithmetic.divide(r[b], r[c], &heap) }
                    case .modInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] {
                            heap.pc = pc; r[a] = Arithmetic.remainderInt(x, y, &heap)
                        } else { heap.pc = pc; r[a] = Arithmetic.remainder(r[b], r[c], &heap) }
                    case .addDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .double(x + y) }
                        else { heap.pc = pc; r[a] = try Arithmetic.add(r[b], r[c], &heap) }
                    case .subDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .double(x - y) }
                        else { heap.pc = pc; r[a] = Arithmetic.subtract(r[b], r[c], &heap) }
                    case .mulDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .double(x * y) }
                        else { heap.pc = pc; r[a] = Arithmetic.multiply(r[b], r[c], &heap) }
                    case .divDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .double(x / y) }
                        else { heap.pc = pc; r[a] = Arithmetic.divide(r[b], r[c], &heap) }
                    case .eqInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] { r[a] = .bool(x == y) }
                        else { heap.pc = pc; r[a] = Operators.equal(r[b], r[c], &heap) }
                    case .ltInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] { r[a] = .bool(x < y) }
                        else { heap.pc = pc; r[a] = Operators.relation(.less, r[b], r[c], &heap) }
                    case .leInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] { r[a] = .bool(x <= y) }
                        else { heap.pc = pc; r[a] = Operators.relation(.lessOrEqual, r[b], r[c], &heap) }
                    case .gtInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] { r[a] = .bool(x > y) }
                        else { heap.pc = pc; r[a] = Operators.relation(.greater, r[b], r[c], &heap) }
                    case .geInt:
                        if case .int(let x) = r[b], case .int(let y) = r[c] { r[a] = .bool(x >= y) }
                        else { heap.pc = pc; r[a] = Operators.relation(.greaterOrEqual, r[b], r[c], &heap) }
                    case .eqDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .bool(x == y) }
                        else { heap.pc = pc; r[a] = Operators.equal(r[b], r[c], &heap) }
                    case .ltDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .bool(x < y) }
                        else { heap.pc = pc; r[a] = Operators.relation(.less, r[b], r[c], &heap) }
                    case .leDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .bool(x <= y) }
                        else { heap.pc = pc; r[a] = Operators.relation(.lessOrEqual, r[b], r[c], &heap) }
                    case .gtDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .bool(x > y) }
                        else { heap.pc = pc; r[a] = Operators.relation(.greater, r[b], r[c], &heap) }
                    case .geDouble:
                        if case .double(let x) = r[b], case .double(let y) = r[c] { r[a] = .bool(x >= y) }
                        else { heap.pc = pc; r[a] = Operators.relation(.greaterOrEqual, r[b], r[c], &heap) }
                    case .eqString:
                        heap.pc = pc; r[a] = Operators.equal(r[b], r[c], &heap)

                    case .select:
                        heap.pc = pc
                        if case .map(let h) = r[b], let field = declaredField(c, ofMap: h, executable, heap) {
                            r[a] = heap.declaredField(field, inMap: h) ?? heap.makeError("no such key: \(executable.module.names[c])")
                        } else if case .object(.optional, _) = r[b] {
                            r[a] = try OptionalValues.optionalSelect(r[b], executable.module.names[c], &heap)
                        } else {
                            r[a] = Operators.select(r[b], executable.module.names[c], &heap)
                        }
                    case .has:
                        heap.pc = pc
                        if case .map(let h) = r[b], let field = declaredField(c, ofMap: h, executable, heap) {
                            r[a] = .bool(heap.declaredField(field, inMap: h) != nil)
                        } else {
                            r[a] = Operators.has(r[b], executable.module.names[c], &heap)
                        }

                    case .makeList:
                        heap.pc = pc
                        r[a] = try makeList(UnsafeBufferPointer(rebasing: r[b..<(b + c)]), &heap)
                    case .makeMap:
                        heap.pc = pc
                        r[a] = try makeMap(UnsafeBufferPointer(rebasing: r[b..<(b + 2 * c)]), &heap)
                    case .appendList:
                        if case .list(let h) = r[a] {
                            if r[b].isError {
                                r[a] = r[b]
                            } else {
                                heap.pc = pc
                                if try !heap.append(r[b], toList: h) { r[a] = heap.makeError("invalid list append") }
                            }
                        }

                    case .insertMap:
                        if case .map(let h) = r[a] {
                            if r[b].isError {
                                r[a] = r[b]
                            } else if r[c].isError {
                                r[a] = r[c]
                            } else {
                                heap.pc = pc
                                if let failure = try heap.insert(r[b], r[c], intoMap: h) { r[a] = failure }
                            }
                        }

                    case .call:
                        let arity = Int(executable.module.functions[b].arity)
                        let args = UnsafeBufferPointer(rebasing: r[c..<(c + arity)])
                        if let error = args.first(where: \.isError) {
                            r[a] = error
                        } else {
                            heap.pc = pc
                            r[a] = try executable.functions[b](&heap, args)
                        }
                    case .matchConst:
                        switch r[b] {
                        case .string(let h):
                            // The verifier guarantees a string constant; the loader compiled it.
                            // Charged before matching, by text × the pattern's step cost.
                            if let pattern = executable.patterns[c] {
                                heap.pc = pc
                                try RegexMetering.chargeMatch(pattern, heap.strings[Int(h)], heap: &heap)
                                r[a] = .bool(pattern.matches(heap.strings[Int(h)]))
                            } else {
                                r[a] = .bool(false)
                            }
                        case .error: r[a] = r[b]
                        default: heap.pc = pc; r[a] = heap.makeError("no such overload: \(r[b].typeKind.name).matches(string)")
                        }

                    case .iterInit:
                        switch r[b] {
                        case .list, .map:
                            r[a] = r[b]
                            r[a + 1] = .int(0)
                        case .error:
                            r[a] = r[b]; r[a + 1] = .int(0)
                            pc = c
                            continue
                        default:
                            heap.pc = pc; r[a] = heap.makeError("expression of type '\(r[b].typeKind.name)' cannot be the range of a comprehension")
                            r[a + 1] = .int(0)
                            pc = c
                            continue
                        }
                    case .iterNext:
                        guard case .int(let position) = r[a + 1] else { pc = c; continue }
                        let i = Int(position)
                        switch r[a] {
                        case .list(let h):
                            let list = heap.lists[Int(h)]
                            if i < list.count { r[b] = list[i] } else { try enterBlock(at: c); continue }
                        case .map(let h):
                            if let key = heap.key(at: i, inMap: h) { r[b] = key } else { try enterBlock(at: c); continue }
                        default:
                            pc = c
                            continue
                        }
                        r[a + 1] = .int(position + 1)
                        if try enterNextBlock() { continue }
                    case .iterNext2:
                        guard case .int(let position) = r[a + 1] else { pc = c; continue }
                        let i = Int(position)
                        switch r[a] {
                        case .list(let h):
                            let list = heap.lists[Int(h)]
                            if i < list.count { r[b] = .int(position); r[b + 1] = list[i] } else { pc = c; continue }
                        case .map(let h):
                            if let key = heap.key(at: i, inMap: h) { r[b] = key; r[b + 1] = heap.value(at: i, inMap: h) } else { pc = c; continue }
                        default:
                            pc = c
                            continue
                        }
                        r[a + 1] = .int(position + 1)
                    }
                    pc += 1
                }
            }
        }
    }

    private static func makeList(_ elements: UnsafeBufferPointer<Value>, _ heap: inout Heap) throws(Trap) -> Value {
        if let error = elements.first(where: \.isError) { return error }
        return try heap.makeList(Array(elements))
    }

    /// The field index of name `name` when map `handle` was bound by schema and its
    /// layout declares that field (`FieldLayouts`): then it is read by slot.
    @inline(__always)
    private static func declaredField(_ name: Int, ofMap handle: UInt32, _ executable: Executable, _ heap: Heap) -> Int? {
        let layout = heap.layout(ofMap: handle)
        guard layout >= 0 else { return nil }
        return executable.fieldLayouts.field(named: name, in: layout)
    }

    private static func makeMap(_ pairs: UnsafeBufferPointer<Value>, _ heap: inout Heap) throws(Trap) -> Value {
        var keys: [Value] = [], values: [Value] = []
        keys.reserveCapacity(pairs.count / 2)
        values.reserveCapacity(pairs.count / 2)
        for i in stride(from: 0, to: pairs.count, by: 2) {
            keys.append(pairs[i])
            values.append(pairs[i + 1])
        }
        return try heap.makeMap(keys: keys, values: values)
    }
}

/// Whether the run loop charges fuel. Metering is always on in production; the
/// unmetered loop exists to measure what metering costs (the benchmarks compare them).
/// A type parameter rather than a flag, so each loop is specialised with no test left in it.
public protocol FuelMetering {
    static var enabled: Bool { get }
}

public enum Metered: FuelMetering {
    public static var enabled: Bool { true }
}

public enum Unmetered: FuelMetering {
    public static var enabled: Bool { false }
}
