/// Finds the expression in a model's answer. Models are asked for a ```cel block but do
/// not always comply: the first fenced block wins; otherwise an answer on one line in
/// backticks, or a bare answer with a leading "Expression:"-style label, is taken as is.
/// Whatever comes out is checked by the compiler, so this only has to be generous, not right.
enum ExpressionExtractor {
    static func extract(from answer: String) -> String? {
        if let fenced = firstFencedBlock(answer) {
            return fenced.isEmpty ? nil : fenced
        }
        var text = answer.trimmed
        for label in ["expression:", "predicate:", "answer:", "cel:"] where text.lowercased().hasPrefix(label) {
            text = String(text.dropFirst(label.count)).trimmed
        }
        if text.count >= 2, text.first == "`", text.last == "`", !text.dropFirst().dropLast().contains("`") {
            text = String(text.dropFirst().dropLast()).trimmed
        }
        return text.isEmpty ? nil : text
    }

    /// The body of the first ``` fence (its info string, such as `cel`, dropped), or nil
    /// when the answer has no complete fence.
    private static func firstFencedBlock(_ answer: String) -> String? {
        let lines = answer.split(separator: "\n", omittingEmptySubsequences: false)
        guard let open = lines.firstIndex(where: { $0.trimmed.hasPrefix("```") }) else { return nil }
        guard let close = lines[(open + 1)...].firstIndex(where: { $0.trimmed.hasPrefix("```") }) else { return nil }
        return lines[(open + 1)..<close].joined(separator: "\n").trimmed
    }
}
