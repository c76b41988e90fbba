/// The instruction set. Each instruction has three operands `a`, `b`, `c` whose meaning
/// each opcode fixes in `operands`; the verifier, the disassembler and the encoder are
/// all driven by that one table, so adding an opcode means adding one case and one row.
///
/// Registers hold values; `dst` operands are written, `reg` operands read. Jump targets
/// are absolute instruction indices and must land on a `fuel` instruction, so every
/// loop pays fuel on each iteration.
///
/// Raw values are part of the binary format: never renumber, only append.
public enum Opcode: UInt8, CaseIterable, Sendable {
    // Control.
    case fuel = 0           // charge b units (>= 1)
    case jump               // pc = b
    case jumpIfFalse        // if reg a is `false`, pc = b
    case jumpIfTrue         // if reg a is `true`, pc = b
    case branch             // ternary head: reg a true: fall through; false: pc = b; otherwise a := error, pc = c
    case ret                // return reg a

    // Loads.
    case loadConst          // a := constants[b]
    case loadVar            // a := input variable b (an error value when unbound)
    case move               // a := reg b

    // Dynamic (type-dispatched) operators: a := b OP c.
    case add, sub, mul, div, mod
    case eq, ne, lt, le, gt, ge
    case `in`               // a := (b in c)
    case index              // a := b[c]
    case neg                // a := -b
    case not                // a := !b
    case and                // a := b && c, after the short-circuit jump (absorbs errors)
    case or                 // a := b || c, likewise
    case notStrictlyFalse   // a := (b is not `false`), for comprehension loop conditions

    // Typed operators, emitted when the checker proves both operand types.
    case addInt, subInt, mulInt, divInt, modInt
    case addDouble, subDouble, mulDouble, divDouble
    case eqInt, ltInt, leInt, gtInt, geInt
    case eqDouble, ltDouble, leDouble, gtDouble, geDouble
    case eqString

    // Fields and presence.
    case select             // a := b.names[c]
    case has                // a := has(b.names[c])

    // Aggregates.
    case makeList           // a := [regs b ..< b+c]
    case makeMap            // a := {regs b, b+1: ..., c pairs}
    case appendList         // list in reg a (a fresh accumulator) gets reg b appended in place

    // Calls.
    case call               // a := functions[b](regs c ..< c+arity)
    case matchConst         // a := matches(reg b, constants[c]) with the pattern compiled once at load

    // Comprehensions: an iterator occupies registers a (collection) and a+1 (position).
    case iterInit           // start iterating reg b (list elements or map keys); not iterable: a := error, pc = c
    case iterNext           // next element into reg b, or pc = c when done

    // Two-variable comprehensions.
    case iterNext2          // next (index, element) or (key, value) into regs b, b+1, or pc = c when done
    case insertMap          // map in reg a (a fresh accumulator) gets reg b -> reg c in place; a bad key makes a an error

    // Explanations.
    case trace              // a := reg b, for no fuel: keeps a clause's value where an explained run reads it after `ret`
}

/// What one operand of an instruction means.
public enum OperandKind: Sendable, Equatable {
    case unused
    case read           // a register read
    case write          // a register written
    case iterator       // a register pair (collection, position)
    case constant       // index into `Module.constants`
    case variable       // index into `Module.variables`
    case name           // index into `Module.names`
    case function       // index into `Module.functions`
    case target         // absolute instruction index
    case count          // a plain count (e.g. list elements)
    case units          // fuel units
}

extension Opcode {
    /// The kinds of operands a, b, c.
    public var operands: (a: OperandKind, b: OperandKind, c: OperandKind) {
        switch self {
        case .fuel: return (.unused, .units, .unused)
        case .jump: return (.unused, .target, .unused)
        case .jumpIfFalse, .jumpIfTrue: return (.read, .target, .unused)
        case .branch: return (.write, .target, .target)       // reads and may overwrite a
        case .ret: return (.read, .unused, .unused)
        case .loadConst: return (.write, .constant, .unused)
        case .loadVar: return (.write, .variable, .unused)
        case .move, .neg, .not, .notStrictlyFalse, .trace: return (.write, .read, .unused)
        case .add, .sub, .mul, .div, .mod, .eq, .ne, .lt, .le, .gt, .ge, .in, .index, .and, .or,
             .addInt, .subInt, .mulInt, .divInt, .modInt,
             .addDouble, .subDouble, .mulDouble, .divDouble,
             .eqInt, .ltInt, .leInt, .gtInt, .geInt,
             .eqDouble, .ltDouble, .leDouble, .gtDouble, .geDouble, .eqString:
            return (.write, .read, .read)
        case .select, .has: return (.write, .read, .name)
        case .makeList, .makeMap: return (.write, .read, .count)   // b is the first of a register range
        case .appendList: return (.write, .read, .unused)           // reads and writes a
        case .insertMap: return (.write, .read, .read)              // reads and writes a
        case .call: return (.write, .function, .read)               // c is the first argument register
        case .matchConst: return (.write, .read, .constant)
        case .iterInit: return (.iterator, .read, .target)
        case .iterNext: return (.iterator, .write, .target)
        case .iterNext2: return (.iterator, .write, .target)        // b is the first of a register pair
        }
    }

    /// True when control can continue to the next instruction.
    public var fallsThrough: Bool {
        switch self {
        case .jump, .ret: return false
        default: return true
        }
    }

    public var mnemonic: String {
        switch self {
        case .in: return "in"
        default: return String(describing: self)
        }
    }
}
