/// What a compiled pattern costs to keep and to run, for callers that meter untrusted
/// work (the VM charges fuel from these figures through `CostTable`) and bound memory.
///
/// These are facts about the pattern, not prices: the price per step lives in one place,
/// the VM's cost table, so the static estimate and the run-time charge cannot drift apart.
extension Pattern {
    /// Which matcher `matches` runs, and the size that makes its per-scalar step cost.
    public enum Engine: Sendable, Equatable {
        /// One table lookup per byte, whatever the pattern.
        case dfa
        /// Per scalar: one mask lookup plus one closure OR per live state (at most `states`).
        case bitNFA(states: Int)
        /// Per scalar: up to every instruction as a thread (no set matcher fits the program).
        case pikeVM(instructions: Int)
    }

    public var engine: Engine {
        if dfa != nil { return .dfa }
        if let setMatcher { return .bitNFA(states: setMatcher.stateCount) }
        return .pikeVM(instructions: program.instructions.count)
    }

    /// Instructions in the compiled NFA (bounded by `maxInstructions`).
    public var instructionCount: Int { program.instructions.count }

    /// The compiled-size cap: counted repetition is expanded copy by copy, so this is what
    /// bounds `[a-z]{1,1000}`-style patterns (about 2,000 instructions) and their cost.
    public static var maxInstructions: Int { ProgramCompiler.maxInstructions }

    /// Steps taken to build the matchers once parsed: one per instruction emitted, per
    /// instruction visited building `BitNFA`'s closure tables, per `SetDFA` table entry.
    public var buildSteps: Int {
        program.instructions.count + (setMatcher?.buildSteps ?? 0) + (dfa.map { $0.residentBytes / 4 } ?? 0)
    }

    /// An estimate of the heap bytes this pattern keeps alive: instructions (with the
    /// ranges of their classes), the set matcher's closure tables and the DFA's table.
    /// Array headers count 32 bytes; the figure is for bounding caches, not accounting.
    public var residentBytes: Int {
        var bytes = 64 + MemoryLayout<Instruction>.stride * program.instructions.count + 32
        for instruction in program.instructions {
            if case .oneOf(let cls) = instruction { bytes += 32 + 8 * cls.ranges.count }
        }
        if let setMatcher {
            bytes += setMatcher.closures.count * 8 + setMatcher.rowOf.count + setMatcher.partition.residentBytes + 64
        }
        if let dfa { bytes += dfa.residentBytes }
        return bytes + groupNames.count * 48
    }
}
