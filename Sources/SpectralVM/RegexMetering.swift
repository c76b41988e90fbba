import SpectralBytecode
import SpectralRegex

/// Fuel for `matches`, priced by `RegexCost` from what the pattern really runs on.
enum RegexMetering {
    static func matcher(of pattern: Pattern) -> RegexCost.Matcher {
        switch pattern.engine {
        case .dfa: return .dfa
        case .bitNFA(let states): return .bitNFA(states: states)
        case .pikeVM(let instructions): return .pikeVM(instructions: instructions)
        }
    }

    /// Charges matching `text` against `pattern` before it runs.
    static func chargeMatch(_ pattern: Pattern, _ text: String, heap: inout Heap) throws(Trap) {
        try heap.chargeWorkUpfront(steps: RegexCost.matchSteps(textBytes: text.utf8.count, matcher(of: pattern)))
    }

    /// `matches` with a pattern from input: compiling it is charged (parsing before, by
    /// pattern length; building after, by the steps it took), then the match itself.
    /// Returns the result, or a CEL error for a pattern that does not compile, including
    /// one over the size and repetition limits.
    static func compileAndMatch(pattern source: String, text: String, heap: inout Heap) throws(Trap) -> Value {
        try heap.chargeWorkUpfront(steps: RegexCost.compileSteps(patternBytes: source.utf8.count, buildSteps: 0))
        let pattern: Pattern
        do {
            pattern = try Pattern(source, preparing: .matchOnce)
        } catch {
            return heap.makeError("invalid regular expression: \(error)")
        }
        try heap.chargeWorkUpfront(steps: RegexCost.compileSteps(patternBytes: 0, buildSteps: pattern.buildSteps) - RegexCost.compileBaseSteps)
        try chargeMatch(pattern, text, heap: &heap)
        return .bool(pattern.matches(text))
    }
}
