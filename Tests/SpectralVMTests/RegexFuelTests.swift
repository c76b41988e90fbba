import Spectral
import SpectralBytecode
import SpectralRegex
import Testing

/// Issue 14, "fuel is time": `matches` is charged by the work it does. Each test is an
/// attack from the report scaled to run in seconds, asserting fuel or errors, never time.
@Suite struct RegexFuelTests {
    static func program(_ source: String, fuel: UInt64 = Limits().fuel) throws -> Program {
        try compile(source, in: Environment(variables: ["s": .string, "p": .string], limits: Limits(fuel: fuel)))
    }

    static func run(_ program: Program, s: String, p: String = "") -> Evaluation {
        program.evaluate(["s": .string(s), "p": .string(p)])
    }

    /// Was: 20 KB against `[a-z]{1,1000}z` cost 1,250 units (text ÷ 16) and 1.2 s.
    @Test func constantPatternIsChargedByPatternTimesText() throws {
        let program = try Self.program("s.matches('[a-z]{1,1000}z')")
        let small = Self.run(program, s: String(repeating: "a", count: 100))
        let double = Self.run(program, s: String(repeating: "a", count: 200))
        #expect(small.result == .success(.bool(false)))
        // 100 more bytes cost 100 × the Pike VM's step price for this program.
        let instructions = try Pattern("[a-z]{1,1000}z").instructionCount
        let perHundred = UInt64(100 * RegexCost.stepsPerByte(.pikeVM(instructions: instructions)) / RegexCost.stepsPerFuelUnit)
        #expect(double.fuelUsed - small.fuelUsed == perHundred)
        #expect(perHundred > 100 * 1_000 / 16)
        let attack = Self.run(program, s: String(repeating: "a", count: 20_000))
        #expect(attack.result == .failure(.fuelExhausted(limit: Limits().fuel)))
    }

    /// Was: the same pattern from input cost ~1,250 units on 20 KB (12.7 s on 200 KB over HTTP).
    @Test func dynamicPatternIsChargedBeforeItRuns() throws {
        let program = try Self.program("s.matches(p)")
        let attack = Self.run(program, s: String(repeating: "a", count: 20_000), p: "[a-z]{1,1000}z")
        #expect(attack.result == .failure(.fuelExhausted(limit: Limits().fuel)))
        // 200 KB: refused before the match starts (it would take seconds if it ran).
        let big = Self.run(program, s: String(repeating: "a", count: 200_000), p: "[a-z]{1,1000}z")
        #expect(big.result == .failure(.fuelExhausted(limit: Limits().fuel)))
        // A small match still fits, and costs more than the parse of its pattern.
        let fits = Self.run(program, s: "abcz", p: "[a-z]{1,1000}z")
        #expect(fits.result == .success(.bool(true)))
        #expect(fits.fuelUsed > 14 * 16 / 16)
    }

    /// Was: `(a{1000}){9}` from input took 117 s. Now a CEL error, at once.
    @Test func nestedRepetitionFromInputIsACELError() throws {
        let program = try Self.program("s.matches(p)")
        let evaluation = Self.run(program, s: String(repeating: "a", count: 20_000), p: "(a{1000}){9}")
        guard case .failure(.evaluation(let message)) = evaluation.result else {
            Issue.record("expected a CEL error, got \(evaluation.result)")
            return
        }
        #expect(message.contains("nested counted repetition"))
        // Only the parse is paid for (the fixed compile price), not 9,000 × 20,000 steps.
        #expect(evaluation.fuelUsed < UInt64(RegexCost.compileBaseSteps / RegexCost.stepsPerFuelUnit) + 100)
    }

    @Test func nestedRepetitionConstantIsACompileError() {
        #expect(throws: CompileFailure.self) { try Self.program("s.matches('(a{1000}){9}')") }
        do {
            _ = try Self.program("s.matches('(a{1000}){9}')")
        } catch {
            #expect("\(error)".contains("nested counted repetition"))
        }
    }

    /// Was: 3,000 constant `(x|y){1000}` patterns (98 KB of source) took a server to 1.2 GB.
    /// Forty distinct ones already pass the per-program budget.
    @Test func programsWithTooMuchPatternAreRejected() throws {
        let source = (0..<40).map { "s.matches('(x|y){1000}\($0)')" }.joined(separator: " || ")
        do {
            _ = try Self.program(source)
            Issue.record("expected the program to be rejected")
        } catch {
            #expect("\(error)".contains("program too large"))
        }
        // A handful fits, and its estimate counts them.
        let few = try Self.program((0..<3).map { "s.matches('(x|y){1000}\($0)')" }.joined(separator: " || "))
        let pattern = try Pattern("(x|y){1000}0")
        #expect(few.residentBytes > 3 * pattern.residentBytes)
        #expect(few.residentBytes < RegexCost.maxPatternBytesPerProgram)
        let plain = try Self.program("s == 'x'")
        #expect(plain.residentBytes < 16 << 10)
    }

    /// A match whose price alone is more than the whole budget never starts: the fuel used
    /// is the limit, and the step price says the match was worth more.
    @Test func unaffordableMatchTrapsWithTheLimit() throws {
        let program = try Self.program("s.matches('[a-z]{1,1000}z')", fuel: 10_000)
        let evaluation = Self.run(program, s: String(repeating: "a", count: 1_000))
        #expect(evaluation.result == .failure(.fuelExhausted(limit: 10_000)))
        #expect(evaluation.fuelUsed == 10_000)
    }
}

/// Found by the `fuel_time` fuzz target (Fixtures/fuzz/fuel_time/replace-empty-needle-quadratic):
/// `s.replace('', s)` inserts `s` before every scalar, n² bytes, and the whole string was
/// built before the memory limit looked at it (64 KiB: 4 GiB, 14 s). Now refused first.
@Suite struct ReplaceOutputTests {
    @Test(arguments: ["s.replace('', s)", "s.replace('a', s)"])
    func quadraticReplacementIsRefusedBeforeItIsBuilt(_ source: String) throws {
        let program = try compile(source, in: Environment(variables: ["s": .string]))
        let evaluation = program.evaluate(["s": .string(String(repeating: "a", count: 8_192))])
        #expect(evaluation.result == .failure(.memoryExhausted(limit: Limits().memory)))
        // A small one still works.
        #expect(program.evaluate(["s": .string("ab")]).result != .failure(.memoryExhausted(limit: Limits().memory)))
    }
}

/// Found by `fuel_time` (Fixtures/fuzz/fuel_time/split-many-pieces-undercharged): splitting
/// 64 KiB into single characters made 65,535 strings for 4,113 units. Each piece is now
/// charged (`WorkPrice.splitPiece`), so the fuel grows with the pieces, not the bytes.
@Suite struct SplitFuelTests {
    @Test func eachPieceIsCharged() throws {
        let program = try compile("s.split(p).size() > 0", in: Environment(variables: ["s": .string, "p": .string]))
        let text = String(repeating: "ab", count: 4_096)
        let fewPieces = program.evaluate(["s": .string(text), "p": .string("zz")])
        let manyPieces = program.evaluate(["s": .string(text), "p": .string("")])
        #expect(fewPieces.result == .success(.bool(true)) && manyPieces.result == .success(.bool(true)))
        #expect(manyPieces.fuelUsed >= fewPieces.fuelUsed + 8_192 * 8, "\(fewPieces.fuelUsed) → \(manyPieces.fuelUsed)")
    }
}
