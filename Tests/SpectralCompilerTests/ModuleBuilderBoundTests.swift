import SpectralBytecode
@testable import SpectralCompiler
import Testing

/// The static bound's safety net: an instruction that can charge more than its price at
/// run time (`CostTable.chargesBeyondPrice`) counts only once its work has been priced;
/// one left unpriced makes the bound unknown rather than too low.
@Suite struct ModuleBuilderBoundTests {
    /// `r1 = r0 == r0; return r1`, with `work` recorded for the comparison (or nothing).
    func comparison(recording work: UInt64?...) throws -> Module {
        var builder = ModuleBuilder()
        builder.beginBlock()
        let a = try builder.allocate(), b = try builder.allocate()
        builder.emit(.loadConst, a: a, b: try builder.constant(.int(1)))
        builder.emit(.eq, a: b, b: UInt32(a), c: UInt32(a))
        for units in work { builder.recordWork(units) }
        builder.emit(.ret, a: b)
        return try builder.finish { _ in .dyn }
    }

    @Test func anUnpricedInstructionLeavesTheBoundUnknown() throws {
        #expect(try comparison().costBound == .max)
    }

    @Test func pricedWorkIsAddedToTheBlocks() throws {
        let free = try comparison(recording: 0)
        #expect(free.costBound != .max)
        #expect(try comparison(recording: 7).costBound == free.costBound + 7)
        #expect(try comparison(recording: nil).costBound == .max, "work of unknown size")
    }

    @Test func instructionsThatChargeBySizeAreNamed() {
        for opcode in [Opcode.eq, .ne, .lt, .in, .add, .index, .select, .eqString, .makeList, .makeMap,
                       .appendList, .insertMap, .call, .matchConst] {
            #expect(CostTable.chargesBeyondPrice(opcode), "\(opcode)")
        }
        for opcode in [Opcode.fuel, .jump, .loadConst, .loadVar, .move, .addInt, .eqInt, .ltDouble, .not, .has, .iterNext, .ret] {
            #expect(!CostTable.chargesBeyondPrice(opcode), "\(opcode)")
        }
    }
}
