import SpectralBytecode
import SpectralRegex

/// Adds up what a program's constant patterns will keep in memory once loaded, so the
/// compiler rejects an oversized program with a diagnostic rather than letting it reach
/// a server (3,000 copies of `(x|y){1000}` in 98 KB of source took one to 1.2 GB).
/// The loader applies the same limit (`RegexCost.maxPatternBytesPerProgram`) to modules
/// from elsewhere.
struct PatternBudget {
    /// The matcher each admitted pattern runs on, which prices its matches.
    private var seen: [String: RegexCost.Matcher] = [:]
    private(set) var bytes = 0

    /// Compiles `source` (as the loader will), counts it once per distinct pattern and
    /// throws when the program's total passes the limit. Returns the matcher it runs on.
    @discardableResult
    mutating func admit(_ source: String) throws(CompileError) -> RegexCost.Matcher {
        // A repeated pattern is one constant, compiled once at load: count and compile it once.
        if let matcher = seen[source] { return matcher }
        let pattern: Pattern
        do {
            pattern = try Pattern(source)
        } catch {
            throw CompileError("invalid regular expression '\(source)': \(error)")
        }
        let matcher: RegexCost.Matcher
        switch pattern.engine {
        case .dfa: matcher = .dfa
        case .bitNFA(let states): matcher = .bitNFA(states: states)
        case .pikeVM(let instructions): matcher = .pikeVM(instructions: instructions)
        }
        seen[source] = matcher
        bytes += pattern.residentBytes
        if bytes > RegexCost.maxPatternBytesPerProgram {
            throw CompileError("program too large: its regular expressions would need more than "
                + "\(RegexCost.maxPatternBytesPerProgram) bytes compiled (at '\(source.prefix(40))'); "
                + "use fewer or smaller patterns")
        }
        return matcher
    }
}
