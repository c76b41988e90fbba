/// The one cost table: fuel units per instruction. The compiler sums it over each basic
/// block into the block's `fuel` charge and uses the same sums for the static cost bound.
/// Size-dependent work (concatenating, searching, comparing aggregates) is charged on
/// top at run time, per byte or element.
public enum CostTable {
    public static func cost(of opcode: Opcode) -> UInt32 {
        switch opcode {
        case .fuel: return 0
        // Free, so that explaining a decision costs the fuel deciding it did: an explained
        // run has the same charges, bound and limit as the plain one.
        case .trace: return 0
        case .call: return 4
        case .matchConst: return 8
        case .makeList, .makeMap: return 3
        case .iterInit: return 2
        default: return 1
        }
    }

    /// Extra units per element for building aggregates.
    public static func elementCost(of opcode: Opcode, count: UInt32) -> UInt32 {
        switch opcode {
        case .makeList: return count
        case .makeMap: return 2 * count
        default: return 0
        }
    }

    public static func cost(of instruction: Instruction) -> UInt32 {
        cost(of: instruction.opcode) + elementCost(of: instruction.opcode, count: instruction.c)
    }

    /// Whether an instruction can charge more at run time than its price: by the size of
    /// what it compares, searches or builds, or by what it allocates. The compiler prices
    /// each such instruction's work for the static bound; one it did not price leaves the
    /// bound unknown. (The typed opcodes other than `eqString` run on operands the checker
    /// proved numeric and charge nothing more.)
    public static func chargesBeyondPrice(_ opcode: Opcode) -> Bool {
        switch opcode {
        case .add, .eq, .ne, .lt, .le, .gt, .ge, .in, .index, .select, .eqString,
             .makeList, .makeMap, .appendList, .insertMap, .call, .matchConst:
            return true
        default:
            return false
        }
    }
}
