/// "Did you mean …?" for names a person or an LLM typed: the closest candidate by edit
/// distance, when it is close enough to be a likely typo.
public enum Suggestion {
    /// Names longer than this get no suggestion, and are shown cut to it.
    public static let maxLength = 64

    /// `name` as an error message may quote it: at most `maxLength` characters.
    public static func quoted(_ name: String) -> String {
        name.count <= maxLength ? name : String(name.prefix(maxLength)) + "…"
    }

    /// The candidate nearest to `name` (Levenshtein distance at most a third of its length,
    /// at least 1, at most 3), nil when none is that close.
    public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        // A name is attacker-sized (a JSON key can be a megabyte): only names a typo away
        // from some candidate are compared, so the table stays a few dozen cells.
        let scalars = Array(name.unicodeScalars.prefix(maxLength + 1))
        guard scalars.count <= maxLength else { return nil }
        let limit = min(3, max(1, scalars.count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = Array(candidate.unicodeScalars)
            guard abs(other.count - scalars.count) <= limit else { continue }
            let distance = editDistance(scalars, other)
            if distance <= limit, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// adjacent characters each cost 1 (`tsets` is one swap from `tests`).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let substitution = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
