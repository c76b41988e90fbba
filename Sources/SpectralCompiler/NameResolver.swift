import SpectralSyntax

/// CEL name resolution, shared by the checker and the code generator.
///
/// An identifier or a chain of field selections on one (`a.b.c`) may name a declared
/// variable with a qualified name: the longest declared prefix wins, and what remains
/// are field selections. Names resolve inside the container first (`com.example.y`,
/// then `com.y`, then `y`); a leading dot (`.y`) means the root scope only.
/// Comprehension variables shadow everything for the first segment.
struct NameResolver {
    var isVariable: (String) -> Bool
    var container: String

    /// A resolved chain: the variable's declared name and how many trailing segments
    /// of the chain remain to be applied as field selections.
    struct Resolution {
        var name: String
        var remainingSelections: Int
    }

    /// The candidate qualified names for `name`, most specific first.
    func candidates(for name: String) -> [String] {
        if name.hasPrefix(".") { return [String(name.dropFirst())] }
        var result: [String] = []
        var prefix = container
        while !prefix.isEmpty {
            result.append(prefix + "." + name)
            if let dot = prefix.lastIndex(of: ".") { prefix = String(prefix[..<dot]) } else { prefix = "" }
        }
        result.append(name)
        return result
    }

    /// The segments of an ident/select chain (`a.b.c` → ["a", "b", "c"]), or nil when the
    /// expression is not such a chain. Presence tests end a chain.
    static func segments(of expr: Expr) -> [String]? {
        switch expr.kind {
        case .ident(let name): return [name]
        case .select(let operand, let field, let testOnly):
            guard !testOnly, var base = segments(of: operand) else { return nil }
            base.append(field)
            return base
        default: return nil
        }
    }

    /// Resolves a chain to the longest declared qualified variable, if any.
    func resolve(_ segments: [String]) -> Resolution? {
        for length in stride(from: segments.count, through: 1, by: -1) {
            let qualified = segments[0..<length].joined(separator: ".")
            for candidate in candidates(for: qualified) where isVariable(candidate) {
                return Resolution(name: candidate, remainingSelections: segments.count - length)
            }
        }
        return nil
    }

    /// Resolves a qualified function name (`math.greatest`) among `isFunction` names.
    func resolveFunction(_ qualified: String, isFunction: (String) -> Bool) -> String? {
        candidates(for: qualified).first(where: isFunction)
    }
}
