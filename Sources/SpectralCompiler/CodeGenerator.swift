import SpectralBytecode
import SpectralRegex
import SpectralSyntax

/// Generates bytecode from a checked (or merely resolved) expression.
///
/// Values flow through registers allocated as a stack. Where the checker proved operand
/// types, typed opcodes are emitted (`addInt`, `ltDouble`, `eqString`); elsewhere the
/// dynamic ones. Macros compile to loops over an iterator register pair, with the
/// accumulator updated in place and the body's loop-invariant constants and input reads
/// evaluated once, before the loop.
public struct CodeGenerator {
    private var builder = ModuleBuilder()
    private let checked: CheckedExpr
    /// Registers holding comprehension variables, innermost last.
    private var locals: [String: [Int]] = [:]
    private var localRegisters: Set<Int> = []
    /// Loop-invariant subexpressions of the loops being emitted, by expression id: each was
    /// evaluated once into its register before its loop (`hoistInvariants`).
    private var hoisted: [Int: Int] = [:]
    /// Memory the constant patterns will hold, bounded per program.
    private var patternBudget = PatternBudget()
    /// The clauses to trace, when generating a program to explain decisions with.
    private let clauses: ClauseTree?

    private init(_ checked: CheckedExpr, tracing clauses: ClauseTree?) {
        self.checked = checked
        self.clauses = clauses
    }

    /// The module for `checked`. With `clauses` (built from the same `checked`), each
    /// clause's value is also copied by a free `trace` into the registers the tree reserves,
    /// which come first: an explained program, which decides as the plain one does for the
    /// same fuel.
    public static func generate(_ checked: CheckedExpr, tracing clauses: ClauseTree? = nil) throws(CompileError) -> Module {
        var generator = CodeGenerator(checked, tracing: clauses)
        generator.builder.beginBlock()
        if let clauses { _ = try generator.builder.allocate(clauses.registerCount) }
        let result = try generator.builder.allocate()
        try generator.emit(checked.expr, into: result)
        generator.builder.emit(.ret, a: result)
        // Only the variables the code reads have a slot, so only their declarations are
        // carried. A declared variable the source never references is not: the binder
        // validates its JSON member and skips it without consulting any type, so its
        // declaration cannot change a decision, and leaving it out keeps the module's
        // bytes independent of declarations it does not use. Variables that are read
        // but not declared (unchecked compilation) bind as `dyn`, as they always have.
        return try generator.builder.finish { name in
            checked.schemas[name].map(DeclaredType.schema) ?? checked.variables[name]?.declaredType ?? .dyn
        }
    }

    private func type(of expr: Expr) -> CELType { checked.types[expr.id] ?? .dyn }

    /// Prices the run-time work of size-charged instructions for the static bound.
    private var prices: OperationWorkBound { OperationWorkBound(extent: ValueExtent(checked: checked, locals: localExtents)) }
    /// What is known of the values of each local in scope, innermost last.
    private var localExtents: [String: [ValueExtent.Local]] = [:]

    /// The register holding `expr`'s value: a local's own register, or a new temporary.
    private mutating func operand(_ expr: Expr) throws(CompileError) -> Int {
        if case .local(let name)? = checked.references[expr.id], let register = locals[name]?.last {
            trace(expr, in: register)
            return register
        }
        if let register = hoisted[expr.id] {
            trace(expr, in: register)
            return register
        }
        let register = try builder.allocate()
        try emit(expr, into: register)
        return register
    }

    private mutating func emit(_ expr: Expr, into dst: Int) throws(CompileError) {
        try emitValue(expr, into: dst)
        trace(expr, in: dst)
    }

    /// Copies the value of `expr`, now in `register`, to its clause's register, when it is
    /// a clause being traced.
    private mutating func trace(_ expr: Expr, in register: Int) {
        guard let clause = clauses?.clause(of: expr) else { return }
        builder.emit(.trace, a: clause.register, b: register)
    }

    private mutating func emitValue(_ expr: Expr, into dst: Int) throws(CompileError) {
        let savedSpan = builder.currentSpan
        builder.currentSpan = SourceRange(start: expr.span.start, end: expr.span.end)
        defer { builder.currentSpan = savedSpan }
        // Temporaries allocated while emitting this node are free again afterwards.
        let mark = builder.top
        defer { builder.release(to: mark) }

        if let register = hoisted[expr.id] {
            builder.emit(.move, a: dst, b: UInt32(register))
            return
        }
        if let reference = checked.references[expr.id] {
            switch reference {
            case .variable(let name):
                builder.emit(.loadVar, a: dst, b: try builder.variable(name))
                return
            case .local(let name):
                guard let register = locals[name]?.last else { throw CompileError("internal: unknown local \(name)") }
                if register != dst { builder.emit(.move, a: dst, b: register) }
                return
            case .type(let name):
                builder.emit(.loadConst, a: dst, b: try builder.constant(.type(Self.runtimeTypeName(name))))
                return
            case .unresolved(let name):
                // Only reachable unchecked: evaluates to an "undeclared reference" error.
                builder.emit(.loadVar, a: dst, b: try builder.variable(name))
                return
            case .function(let name):
                guard case .call(_, _, let args) = expr.kind else { break }
                try emitCall(expr, name: name, receiver: nil, args: args, into: dst)
                return
            }
        }

        switch expr.kind {
        case .literal(let literal):
            builder.emit(.loadConst, a: dst, b: try builder.constant(Self.constant(literal)))
        case .ident(let name):
            builder.emit(.loadVar, a: dst, b: try builder.variable(name))
        case .select(let operandExpr, let field, let testOnly):
            let source = try operand(operandExpr)
            builder.emit(testOnly ? .has : .select, a: dst, b: UInt32(source), c: try builder.name(field))
            if !testOnly { builder.recordWork(prices.selection(from: operandExpr)) }
        case .call(let function, let target, let args):
            try emitCall(expr, name: function, receiver: target, args: args, into: dst)
        case .list(let elements):
            if let constant = try foldedConstant(expr) {
                builder.emit(.loadConst, a: dst, b: constant)
                return
            }
            let base = try builder.allocate(elements.count)
            for (i, element) in elements.enumerated() { try emit(Self.unwrappingEntry(element), into: base + i) }
            builder.emit(.makeList, a: dst, b: UInt32(elements.isEmpty ? 0 : base), c: UInt32(elements.count))
            builder.recordWork(prices.list(of: UInt64(elements.count)))
            try emitOptionalEntries(elements, of: dst, function: "@optional_list", overload: "optional_list_compact")
        case .map(let entries):
            if let constant = try foldedConstant(expr) {
                builder.emit(.loadConst, a: dst, b: constant)
                return
            }
            let base = try builder.allocate(entries.count * 2)
            for (i, entry) in entries.enumerated() {
                try emit(entry.key, into: base + 2 * i)
                try emit(Self.unwrappingEntry(entry.value), into: base + 2 * i + 1)
            }
            builder.emit(.makeMap, a: dst, b: UInt32(entries.isEmpty ? 0 : base), c: UInt32(entries.count))
            builder.recordWork(prices.map(of: UInt64(entries.count)))
            try emitOptionalEntries(entries.map(\.value), of: dst, function: "@optional_map", overload: "optional_map_compact")
        case .comprehension(let comprehension):
            try emitComprehension(comprehension, clause: clauses?.clause(of: expr), into: dst)
        }
    }

    // MARK: Optional entries

    /// `[?e]` and `{?k: e}`: the aggregate is built with the optionals themselves, then
    /// `@optional_list` / `@optional_map` drops the absent ones and unwraps the others, at
    /// the positions a constant list names.
    private mutating func emitOptionalEntries(_ items: [Expr], of aggregate: Int, function: String,
                                              overload: String) throws(CompileError) {
        let positions = items.indices.filter { Self.isOptionalEntry(items[$0]) }
        guard !positions.isEmpty else { return }
        let base = try builder.allocate(2)
        builder.emit(.move, a: base, b: UInt32(aggregate))
        var indices: [UInt32] = []
        for position in positions { indices.append(try builder.constant(.int(Int64(position)))) }
        builder.emit(.loadConst, a: base + 1, b: try builder.constant(.list(indices)))
        let ref = try builder.function(FunctionRef(name: function, arity: 2, receiver: false, overloads: [overload]))
        builder.emit(.call, a: aggregate, b: ref, c: UInt32(base))
        // A unit per item kept, and the aggregate built again.
        let count = UInt64(items.count)
        builder.recordWork(Saturating.add(count, function == "@optional_list" ? prices.list(of: count) : prices.map(of: count)))
    }

    private static func isOptionalEntry(_ expr: Expr) -> Bool {
        if case .call(OptionalSyntax.entry, nil, let args) = expr.kind { return args.count == 1 }
        return false
    }

    private static func unwrappingEntry(_ expr: Expr) -> Expr {
        if case .call(OptionalSyntax.entry, nil, let args) = expr.kind, args.count == 1 { return args[0] }
        return expr
    }

    // MARK: Calls and operators

    private mutating func emitCall(_ expr: Expr, name: String, receiver: Expr?, args: [Expr], into dst: Int) throws(CompileError) {
        if receiver == nil {
            switch (name, args.count) {
            case ("_&&_", 2): return try emitLogical(.and, args, into: dst)
            case ("_||_", 2): return try emitLogical(.or, args, into: dst)
            case ("_?_:_", 3): return try emitConditional(args, into: dst)
            case ("@not_strictly_false", 1):
                builder.emit(.notStrictlyFalse, a: dst, b: UInt32(try operand(args[0])))
                return
            case ("!_", 1):
                builder.emit(.not, a: dst, b: UInt32(try operand(args[0])))
                return
            case ("-_", 1):
                builder.emit(.neg, a: dst, b: UInt32(try operand(args[0])))
                return
            case ("dyn", 1):
                return try emit(args[0], into: dst)
            default: break
            }
            if args.count == 2, let opcode = binaryOpcode(name, args[0], args[1]) {
                let lhs = try operand(args[0])
                let rhs = try operand(args[1])
                if let comparison = clauses?.clause(of: expr)?.comparison {
                    builder.emit(.trace, a: comparison.subjectRegister, b: comparison.constantFirst ? rhs : lhs)
                }
                builder.emit(opcode, a: dst, b: lhs, c: rhs)
                builder.recordWork(prices.work(of: opcode, args[0], args[1]))
                return
            }
        }
        if let receiver, args.count == 1, name == "or" || name == "orValue" {
            return try emitOptionalOr(expr, name, receiver, fallback: args[0], into: dst)
        }
        // `s.matches('constant')`: compile the pattern now, once.
        if name == "matches", let (subject, pattern) = Self.matchOperands(receiver, args) {
            let matcher = try patternBudget.admit(pattern)
            let source = try operand(subject)
            builder.emit(.matchConst, a: dst, b: UInt32(source), c: try builder.constant(.string(pattern)))
            builder.recordWork(StringWorkBound.match(subject: subject, matcher: matcher, extent: prices.extent).units)
            return
        }
        let all = (receiver.map { [$0] } ?? []) + args
        guard all.count <= Int(UInt8.max) else { throw CompileError("too many arguments to '\(name)'") }
        let base = try builder.allocate(all.count)
        for (i, arg) in all.enumerated() { try emit(arg, into: base + i) }
        // The overloads the checker resolved go into the module: the loader binds the call to
        // them (none when unchecked: the loader resolves the name instead).
        let function = try builder.function(FunctionRef(name: name, arity: UInt8(all.count), receiver: receiver != nil,
                                                        overloads: checked.overloads[expr.id] ?? []))
        builder.emit(.call, a: dst, b: function, c: UInt32(all.isEmpty ? 0 : base))
        builder.recordWork(CallWorkBound.work(overloads: checked.overloads[expr.id] ?? [], operands: all, extent: prices.extent))
    }

    private static func matchOperands(_ receiver: Expr?, _ args: [Expr]) -> (Expr, String)? {
        let subject: Expr, patternExpr: Expr
        if let receiver, args.count == 1 { (subject, patternExpr) = (receiver, args[0]) }
        else if receiver == nil, args.count == 2 { (subject, patternExpr) = (args[0], args[1]) }
        else { return nil }
        guard case .literal(.string(let pattern)) = patternExpr.kind else { return nil }
        return (subject, pattern)
    }

    /// The opcode of a binary operator, typed when the checker proved both operand types.
    private func binaryOpcode(_ name: String, _ lhs: Expr, _ rhs: Expr) -> Opcode? {
        let l = type(of: lhs), r = type(of: rhs)
        let ints = l == .int && r == .int
        let doubles = l == .double && r == .double
        switch name {
        case "_+_": return ints ? .addInt : doubles ? .addDouble : .add
        case "_-_": return ints ? .subInt : doubles ? .subDouble : .sub
        case "_*_": return ints ? .mulInt : doubles ? .mulDouble : .mul
        case "_/_": return ints ? .divInt : doubles ? .divDouble : .div
        case "_%_": return ints ? .modInt : .mod
        case "_==_": return ints ? .eqInt : doubles ? .eqDouble : (l == .string && r == .string) ? .eqString : .eq
        case "_!=_": return .ne
        case "_<_": return ints ? .ltInt : doubles ? .ltDouble : .lt
        case "_<=_": return ints ? .leInt : doubles ? .leDouble : .le
        case "_>_": return ints ? .gtInt : doubles ? .gtDouble : .gt
        case "_>=_": return ints ? .geInt : doubles ? .geDouble : .ge
        case "@in": return .in
        case "_[_]": return .index
        default: return nil
        }
    }

    /// `a && b` / `a || b`: skip `b` when `a` decides; otherwise combine, so that an error
    /// on one side is absorbed when the other side decides.
    private mutating func emitLogical(_ opcode: Opcode, _ args: [Expr], into dst: Int) throws(CompileError) {
        let end = builder.newLabel()
        let lhs = localRegisters.contains(dst) && !isLocal(args[0], dst) ? try builder.allocate() : dst
        try emit(args[0], into: lhs)
        builder.emitJump(opcode == .and ? .jumpIfFalse : .jumpIfTrue, a: lhs, b: end)
        builder.beginBlock()
        let rhs = try operand(args[1])
        builder.emit(opcode, a: dst, b: UInt32(lhs), c: UInt32(rhs))
        if lhs != dst {
            let done = builder.newLabel()
            builder.emitJump(.jump, b: done)
            builder.place(end)
            builder.emit(.move, a: dst, b: lhs)
            builder.place(done)
        } else {
            builder.place(end)
        }
    }

    private func isLocal(_ expr: Expr, _ register: Int) -> Bool {
        if case .local(let name)? = checked.references[expr.id] { return locals[name]?.last == register }
        return false
    }

    /// `c ? x : y`. The condition goes to `dst` unless `dst` is a comprehension variable
    /// the branches may read.
    private mutating func emitConditional(_ args: [Expr], into dst: Int) throws(CompileError) {
        let elseLabel = builder.newLabel(), end = builder.newLabel()
        let condition = localRegisters.contains(dst) ? try builder.allocate() : dst
        try emit(args[0], into: condition)
        let errorLabel = condition == dst ? end : builder.newLabel()
        builder.emitJump(.branch, a: condition, b: elseLabel, c: errorLabel)
        builder.beginBlock()
        try emit(args[1], into: dst)
        builder.emitJump(.jump, b: end)
        builder.place(elseLabel)
        try emit(args[2], into: dst)
        if condition != dst {
            builder.emitJump(.jump, b: end)
            builder.place(errorLabel)
            builder.emit(.move, a: dst, b: condition)
        }
        builder.place(end)
    }

    /// `o.or(p)` and `o.orValue(v)` evaluate `p` / `v` only when `o` is absent, as cel-go and
    /// cel-cpp do: `optional.of(1).orValue(1 / 0)` is 1, and the fallback costs no fuel.
    /// Anything but a present optional (absent, an error, not an optional) takes the strict
    /// call, which gives the fallback, the error or "no such overload".
    private mutating func emitOptionalOr(_ expr: Expr, _ name: String, _ receiver: Expr, fallback: Expr, into dst: Int) throws(CompileError) {
        let operands = try builder.allocate(2), present = try builder.allocate()
        let absent = builder.newLabel(), end = builder.newLabel()
        try emit(receiver, into: operands)
        let hasValue = try builder.function(FunctionRef(name: "hasValue", arity: 1, receiver: true,
                                                        overloads: ["optional_hasValue"]))
        builder.emit(.call, a: present, b: hasValue, c: UInt32(operands))
        builder.recordWork(CallWorkBound.work(overloads: ["optional_hasValue"], operands: [receiver], extent: prices.extent))
        builder.emitJump(.branch, a: present, b: absent, c: absent)
        builder.beginBlock()
        if name == "orValue" {
            let value = try builder.function(FunctionRef(name: "value", arity: 1, receiver: true,
                                                         overloads: ["optional_value"]))
            builder.emit(.call, a: dst, b: value, c: UInt32(operands))
            builder.recordWork(CallWorkBound.work(overloads: ["optional_value"], operands: [receiver], extent: prices.extent))
        } else {
            builder.emit(.move, a: dst, b: UInt32(operands))
        }
        builder.emitJump(.jump, b: end)
        builder.place(absent)
        try emit(fallback, into: operands + 1)
        let strict = try builder.function(FunctionRef(name: name, arity: 2, receiver: true,
                                                      overloads: checked.overloads[expr.id] ?? []))
        builder.emit(.call, a: dst, b: strict, c: UInt32(operands))
        builder.recordWork(CallWorkBound.work(overloads: checked.overloads[expr.id] ?? [], operands: [receiver, fallback],
                                              extent: prices.extent))
        builder.place(end)
    }

    // MARK: Comprehensions

    private mutating func emitComprehension(_ c: Comprehension, clause: ClauseTree.Clause?, into dst: Int) throws(CompileError) {
        if Self.isBinding(c) { return try emitBinding(c, into: dst) }
        let range = try operand(c.iterRange)
        if let traced = clause?.rangeRegister { builder.emit(.trace, a: traced, b: range) }
        let invariants = try hoistInvariants(of: c)
        defer { for id in invariants { if let register = hoisted.removeValue(forKey: id) { localRegisters.remove(register) } } }
        let iterator = try builder.allocate(2)
        let accumulator = try builder.allocate()
        // Two variables take a register pair, filled by one iterNext2.
        let element = try builder.allocate(c.iterVar2 == nil ? 1 : 2)
        let loop = builder.newLabel(), done = builder.newLabel(), bad = builder.newLabel(), end = builder.newLabel()

        builder.emitJump(.iterInit, a: iterator, b: range, c: bad)
        builder.beginBlock()
        // In-place appends and inserts need an accumulator that nothing else shares: a
        // fresh one, never the folded constant `[]` or `{}`.
        let appendsInPlace = Self.isEmptyList(c.accuInit) || Self.isEmptyMap(c.accuInit)
        if Self.isEmptyList(c.accuInit) {
            builder.emit(.makeList, a: accumulator, b: 0, c: 0)
            builder.recordWork(prices.list(of: 0))
        } else if Self.isEmptyMap(c.accuInit) {
            builder.emit(.makeMap, a: accumulator, b: 0, c: 0)
            builder.recordWork(prices.map(of: 0))
        } else {
            try emit(c.accuInit, into: accumulator)
        }
        bind(c.accuVar, accumulator, ValueExtent.Local())
        // One variable is an element (a list's) or a key (a map's); of two, the first is an
        // index or a key and the second the element or value.
        let elements = prices.extent.element(of: c.iterRange)
        bind(c.iterVar, element, c.iterVar2 == nil ? elements : ValueExtent.Local(isInputPart: true))
        if let second = c.iterVar2 { bind(second, element + 1, elements) }
        let head = builder.placeLoopHead(loop)
        builder.emitJump(c.iterVar2 == nil ? .iterNext : .iterNext2, a: iterator, b: element, c: done)
        builder.beginBlock()
        let exitsWhen = try emitLoopCondition(c, accumulator: accumulator, exit: done)
        // Past the condition: the element traced last is the last one the predicate saw,
        // not the one fetched before the loop ended.
        for (i, traced) in (clause?.elementRegisters ?? []).enumerated() { builder.emit(.trace, a: traced, b: element + i) }
        try emitLoopStep(c, accumulator: accumulator, appendsInPlace: appendsInPlace, continuedUnless: exitsWhen, loop: loop)
        builder.emitJump(.jump, b: loop)
        // A range of known size (a literal, or one the schema bounds with `maxItems` or
        // `maxProperties`) bounds the loop's cost.
        builder.recordLoop(from: head, iterations: prices.extent.entries(of: c.iterRange))
        if let second = c.iterVar2 { unbind(second) }
        unbind(c.iterVar)
        builder.place(done)
        try emit(c.result, into: dst)
        unbind(c.accuVar)
        builder.emitJump(.jump, b: end)
        builder.place(bad)
        builder.emit(.move, a: dst, b: UInt32(iterator))
        builder.place(end)
    }

    /// Evaluates the loop-invariant subexpressions of `c`'s condition and step (at most
    /// `maxHoisted`) once, before the loop, each into a register its uses then read
    /// (`operand`) or copy (`emitValue`). In `l.filter(t, t.amount > 500.0 && t.country !=
    /// txn.country)`, that takes the constant load and the two reads of `txn.country` out
    /// of the body, three of its eleven instructions. Returns the ids hoisted.
    private mutating func hoistInvariants(of c: Comprehension) throws(CompileError) -> [Int] {
        var found: [Expr] = []
        collectInvariants(inBodyOf: c, into: &found)
        var ids: [Int] = []
        for expr in found.prefix(Self.maxHoisted) where hoisted[expr.id] == nil {
            let register = try builder.allocate()
            try emitValue(expr, into: register)
            hoisted[expr.id] = register
            localRegisters.insert(register)  // read-only from here on, as comprehension variables are
            ids.append(expr.id)
        }
        return ids
    }

    /// Enough for any loop body the workload has; registers stay few.
    private static let maxHoisted = 16

    /// The outermost loop-invariant subexpressions of `expr` that cost an instruction or more
    /// to evaluate, in evaluation order (nested loops' bodies included: they run on every
    /// iteration too). Ones hoisted already, by an enclosing loop, are left where they are.
    private func collectInvariants(in expr: Expr, into found: inout [Expr]) {
        if hoisted[expr.id] != nil { return }
        if isLoopInvariant(expr) {
            found.append(expr)
            return
        }
        if case .local? = checked.references[expr.id] { return }
        switch expr.kind {
        case .literal, .ident:
            return
        case .select(let operand, _, _):
            collectInvariants(in: operand, into: &found)
        case .call(let name, let target, let args):
            // A namespaced function's target is its name, and `matches`' constant pattern
            // is compiled into the instruction: neither is ever loaded.
            if case .function? = checked.references[expr.id] {
                for arg in args { collectInvariants(in: arg, into: &found) }
            } else if name == "matches", let (subject, _) = Self.matchOperands(target, args) {
                collectInvariants(in: subject, into: &found)
            } else {
                if let target { collectInvariants(in: target, into: &found) }
                for arg in args { collectInvariants(in: arg, into: &found) }
            }
        case .list(let elements):
            for element in elements { collectInvariants(in: element, into: &found) }
        case .map(let entries):
            for entry in entries {
                collectInvariants(in: entry.key, into: &found)
                collectInvariants(in: entry.value, into: &found)
            }
        case .comprehension(let inner):
            // What `emitComprehension` evaluates of it: a binding, only its value and result;
            // a loop, everything but an empty accumulator, which is made fresh (`makeList`).
            if Self.isBinding(inner) {
                collectInvariants(in: inner.accuInit, into: &found)
            } else {
                collectInvariants(in: inner.iterRange, into: &found)
                if !Self.isEmptyList(inner.accuInit) && !Self.isEmptyMap(inner.accuInit) {
                    collectInvariants(in: inner.accuInit, into: &found)
                }
                collectInvariants(inBodyOf: inner, into: &found)
            }
            collectInvariants(in: inner.result, into: &found)
        }
    }

    /// What `c`'s loop evaluates on every iteration: its condition (none when it is the
    /// literal `true`) and its step.
    private func collectInvariants(inBodyOf c: Comprehension, into found: inout [Expr]) {
        if case .literal = c.loopCondition.kind {} else { collectInvariants(in: c.loopCondition, into: &found) }
        collectInvariants(in: c.loopStep, into: &found)
    }

    /// Whether evaluating `expr` once before a loop gives what evaluating it on every
    /// iteration would: it reads no comprehension variable, and it is pure and cheap (a
    /// constant, an input variable, fields selected from one), so that evaluating it when
    /// the loop would not have (an empty range, a short-circuited operand) changes no
    /// result and costs a few units of fuel at most. Calls are not hoisted: one may be
    /// expensive, and a trap it could cause must not move.
    private func isLoopInvariant(_ expr: Expr) -> Bool {
        if let reference = checked.references[expr.id] {
            if case .variable = reference { return true }
            return false
        }
        switch expr.kind {
        case .literal: return true
        case .select(let operand, _, _): return isLoopInvariant(operand)
        case .list, .map: return isConstantAggregate(expr)
        default: return false
        }
    }

    /// A list or map literal made only of literals, which `foldedConstant` loads whole.
    private func isConstantAggregate(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .literal: return true
        case .list(let elements): return elements.allSatisfy(isConstantAggregate)
        case .map(let entries): return entries.allSatisfy { isConstantAggregate($0.key) && isConstantAggregate($0.value) }
        default: return false
        }
    }

    /// A fold that never loops, emitted by `emitBinding`.
    private static func isBinding(_ c: Comprehension) -> Bool {
        c.macro == .bind || isEmptyList(c.iterRange)
    }

    /// `cel.bind`, each `cel.block` slot and `optMap`: a fold over an empty range never
    /// loops; it reduces to evaluating the value once into a register the body reads by
    /// name. Emitted without a loop, so the cost keeps a static bound.
    private mutating func emitBinding(_ c: Comprehension, into dst: Int) throws(CompileError) {
        let value = try builder.allocate()
        try emit(c.accuInit, into: value)
        bind(c.accuVar, value, prices.extent.binding(c.accuInit))
        try emit(c.result, into: dst)
        unbind(c.accuVar)
    }

    private mutating func bind(_ name: String, _ register: Int, _ extent: ValueExtent.Local) {
        locals[name, default: []].append(register)
        localRegisters.insert(register)
        localExtents[name, default: []].append(extent)
    }

    private mutating func unbind(_ name: String) {
        if let register = locals[name]?.popLast() { localRegisters.remove(register) }
        _ = localExtents[name]?.popLast()
    }

    /// Exits the loop when the condition is strictly false. The standard macros' conditions
    /// (`@not_strictly_false(@result)` and its negation) become a single jump on the
    /// accumulator: returns the accumulator value that jump exits on, nil for any other condition.
    private mutating func emitLoopCondition(_ c: Comprehension, accumulator: Int, exit: ModuleBuilder.Label) throws(CompileError) -> Bool? {
        switch c.loopCondition.kind {
        case .literal(.bool(true)):
            return nil
        case .call("@not_strictly_false", nil, let args) where args.count == 1:
            if isLocal(args[0], accumulator) {
                builder.emitJump(.jumpIfFalse, a: accumulator, b: exit)
                builder.beginBlock()
                return false
            }
            if case .call("!_", nil, let inner) = args[0].kind, inner.count == 1, isLocal(inner[0], accumulator) {
                builder.emitJump(.jumpIfTrue, a: accumulator, b: exit)
                builder.beginBlock()
                return true
            }
        default: break
        }
        let mark = builder.top
        let condition = try builder.allocate()
        try emit(c.loopCondition, into: condition)
        builder.emit(.notStrictlyFalse, a: condition, b: UInt32(condition))
        builder.emitJump(.jumpIfFalse, a: condition, b: exit)
        builder.beginBlock()
        builder.release(to: mark)
        return nil
    }

    /// `@result + [x]` appends in place, `cel.@mapInsert(@result, k, v)` inserts in place:
    /// the accumulator is private to the loop. The caller emits the jump back to `loop`.
    ///
    /// `all`'s step `@result && p` and `exists`' `@result || p` combine without `_&&_`'s
    /// short-circuit jump when the loop condition has just jumped out on the value that
    /// jump would take (`continuedUnless`): past the condition, it can never be taken.
    private mutating func emitLoopStep(_ c: Comprehension, accumulator: Int, appendsInPlace: Bool,
                                       continuedUnless exitValue: Bool?, loop: ModuleBuilder.Label) throws(CompileError) {
        if let exitValue, case .call(let function, nil, let args) = c.loopStep.kind, args.count == 2,
           function == (exitValue ? "_||_" : "_&&_"), isLocal(args[0], accumulator) {
            let savedSpan = builder.currentSpan
            builder.currentSpan = SourceRange(start: c.loopStep.span.start, end: c.loopStep.span.end)
            defer { builder.currentSpan = savedSpan }
            let mark = builder.top
            let rhs = try operand(args[1])
            builder.emit(exitValue ? .or : .and, a: accumulator, b: UInt32(accumulator), c: UInt32(rhs))
            builder.release(to: mark)
            trace(c.loopStep, in: accumulator)
            return
        }
        guard appendsInPlace else { return try emit(c.loopStep, into: accumulator) }
        if isInPlaceUpdate(c.loopStep, accumulator: accumulator) {
            return try emitInPlaceUpdate(c.loopStep, accumulator: accumulator)
        }
        if case .call("_?_:_", nil, let args) = c.loopStep.kind, args.count == 3,
           isInPlaceUpdate(args[1], accumulator: accumulator), isLocal(args[2], accumulator) {
            let mark = builder.top
            let condition = try builder.allocate()
            // Both ways on go straight back to the loop head, not through a block of their own.
            let failed = builder.newLabel()
            try emit(args[0], into: condition)
            builder.emitJump(.branch, a: condition, b: loop, c: failed)
            builder.beginBlock()
            try emitInPlaceUpdate(args[1], accumulator: accumulator)
            builder.emitJump(.jump, b: loop)
            builder.place(failed)
            builder.emit(.move, a: accumulator, b: UInt32(condition))
            builder.release(to: mark)
            return
        }
        try emit(c.loopStep, into: accumulator)
    }

    private func isInPlaceUpdate(_ step: Expr, accumulator: Int) -> Bool {
        appendedElement(step, accumulator: accumulator) != nil || insertedEntry(step, accumulator: accumulator) != nil
    }

    private mutating func emitInPlaceUpdate(_ step: Expr, accumulator: Int) throws(CompileError) {
        if let element = appendedElement(step, accumulator: accumulator) {
            builder.emit(.appendList, a: accumulator, b: UInt32(try operand(element)))
            builder.recordWork(prices.append(element))
        } else if let (key, value) = insertedEntry(step, accumulator: accumulator) {
            let mark = builder.top
            let k = try operand(key)
            let v = try operand(value)
            builder.emit(.insertMap, a: accumulator, b: UInt32(k), c: UInt32(v))
            builder.recordWork(prices.insert(value))
            builder.release(to: mark)
        }
    }

    /// The key and value of `cel.@mapInsert(@result, k, v)` (transformMap's step).
    private func insertedEntry(_ step: Expr, accumulator: Int) -> (Expr, Expr)? {
        guard case .call(mapInsertFunction, nil, let args) = step.kind, args.count == 3,
              isLocal(args[0], accumulator) else { return nil }
        return (args[1], args[2])
    }

    private static func isEmptyMap(_ expr: Expr) -> Bool {
        if case .map(let entries) = expr.kind { return entries.isEmpty }
        return false
    }

    private static func isEmptyList(_ expr: Expr) -> Bool {
        if case .list(let elements) = expr.kind { return elements.isEmpty }
        return false
    }

    private func appendedElement(_ step: Expr, accumulator: Int) -> Expr? {
        guard case .call("_+_", nil, let args) = step.kind, args.count == 2, isLocal(args[0], accumulator),
              case .list(let elements) = args[1].kind, elements.count == 1 else { return nil }
        return elements[0]
    }

    // MARK: Constants

    /// The pool index of a list or map literal made only of literals (recursively), built
    /// once per program; nil when any element must be computed.
    private mutating func foldedConstant(_ expr: Expr) throws(CompileError) -> UInt32? {
        switch expr.kind {
        case .literal(let literal): return try builder.constant(Self.constant(literal))
        case .list(let elements):
            var indices: [UInt32] = []
            for element in elements {
                guard let index = try foldedConstant(element) else { return nil }
                indices.append(index)
            }
            return try builder.constant(.list(indices))
        case .map(let entries):
            var indices: [UInt32] = []
            for entry in entries {
                guard let key = try foldedConstant(entry.key), let value = try foldedConstant(entry.value) else { return nil }
                indices += [key, value]
            }
            return try builder.constant(.map(indices))
        default: return nil
        }
    }

    static func constant(_ literal: Literal) -> Constant {
        switch literal {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .uint(let u): return .uint(u)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .bytes(b)
        }
    }

    static func runtimeTypeName(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }
}
