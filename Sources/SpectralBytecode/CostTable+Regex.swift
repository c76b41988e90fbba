/// The price of regular-expression work, beside the per-instruction prices in `CostTable`.
///
/// Matching is linear in the text, but the constant is the pattern: a DFA step is one
/// table lookup, a set-NFA step ORs one closure per live state, a Pike VM step may touch
/// every instruction. Charging by text length alone let `[a-z]{1,1000}z` run 12.7 s on
/// 1.3 % of its fuel, so the charge is text length × the step cost of the matcher the
/// pattern actually uses. The VM charges these at run time (before matching, so an
/// unaffordable match never starts) and the same figures bound what a loaded program may
/// hold. Prices are in work steps; `stepsPerFuelUnit` of them make one fuel unit, the
/// same rate as the VM's per-byte charges. Calibrated by `Benchmarks/calibrate.sh`.
public enum RegexCost {
    /// The matcher a pattern runs on (mirrors `SpectralRegex.Pattern.Engine`, which this
    /// module cannot see).
    public enum Matcher: Sendable, Equatable {
        case dfa
        case bitNFA(states: Int)
        case pikeVM(instructions: Int)
    }

    /// Work steps per fuel unit (the VM's `chargeWork(bytes:)` shifts by 4).
    public static let stepsPerFuelUnit = 16

    /// Steps per byte of text for one `matches`.
    public static func stepsPerByte(_ matcher: Matcher) -> Int {
        switch matcher {
        case .dfa: return 1
        case .bitNFA(let states): return 4 + states / 2
        case .pikeVM(let instructions): return 8 * instructions
        }
    }

    /// Steps for matching `textBytes` bytes (plus a fixed setup of one fuel unit).
    public static func matchSteps(textBytes: Int, _ matcher: Matcher) -> Int {
        stepsPerFuelUnit &+ textBytes &* stepsPerByte(matcher)
    }

    /// Steps for compiling a pattern at run time (`matches` with a pattern from input):
    /// parsing is per byte of pattern, building per instruction and closure step.
    /// The fixed part (256 units) is what every compile pays whatever its size: the
    /// parser, the character classes, the scalar partition, closure rows for each of the
    /// contexts (calibrated: ~40 µs for `^h.*d$`, where a unit is ~40 ns).
    public static func compileSteps(patternBytes: Int, buildSteps: Int) -> Int {
        compileBaseSteps &+ 16 &* patternBytes &+ 16 &* buildSteps
    }

    public static let compileBaseSteps = 4096

    /// Fuel for `steps`, rounded up.
    public static func fuel(steps: Int) -> UInt64 {
        UInt64((steps + stepsPerFuelUnit - 1) / stepsPerFuelUnit)
    }

    /// The most heap the constant patterns of one program may keep (their compiled NFAs,
    /// set-matcher tables and DFAs, by `Pattern.residentBytes`). 3,000 copies of
    /// `(x|y){1000}` once took a server from 55 MB to 1.2 GB; the compiler rejects a program
    /// over this with a diagnostic, and the loader refuses one that was built elsewhere.
    public static let maxPatternBytesPerProgram = 4 << 20
}
