/// RE2's rule for nested counted repetition: the product of the counts along any path of
/// nested repeats may not exceed 1,000 (RE2's `kMaxRepeat`, "bad repetition operator").
///
/// Each count on its own is already capped at 1,000 by the parser, but nesting multiplies
/// them: `(a{1000}){9}` expands to 9,000 copies of `a`, a program that makes every
/// matched byte cost 9,000 steps. Checking the tree before compiling rejects such a
/// pattern in time linear in the pattern, before any copy is built.
enum RepetitionLimit {
    static let maxProduct = PatternParser.maxRepeatCount

    static func check(_ root: RegexNode) throws(PatternError) {
        // Explicit stack of (node, product of the enclosing counts): patterns nest up to
        // `maxNestingDepth` groups and concatenations may be long, so no recursion.
        var stack: [(RegexNode, Int)] = [(root, 1)]
        while let (node, product) = stack.popLast() {
            switch node {
            case .empty, .literal, .charClass, .assertion:
                break
            case .group(let body, _):
                stack.append((body, product))
            case .concat(let items), .alternate(let items):
                for item in items { stack.append((item, product)) }
            case .repeat(let body, let min, let max, _):
                // As RE2: the upper count, or the lower one when unbounded; 0 multiplies nothing.
                let count = max ?? min
                let inner = count > 0 ? product * count : product
                if inner > maxProduct {
                    throw PatternError(
                        "pattern too large: nested counted repetition expands to more than \(maxProduct) copies", at: 0)
                }
                stack.append((body, inner))
            }
        }
    }
}
