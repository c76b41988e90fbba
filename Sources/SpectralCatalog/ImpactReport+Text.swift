extension ImpactReport {
    /// For people (`spectral status`, the agent's verdict): the counts, then a few
    /// examples of each change with both outcomes.
    public func summary(examplesPerChange: Int = 3) -> String {
        var lines = ["replayed \(replayed) logged inputs through @\(comparedWith) and this version: \(unchanged) unchanged, \(changed) changed"]
        let counts = Change.allCases.compactMap { change in changes[change].map { "\(change.rawValue): \($0)" } }
        if !counts.isEmpty { lines.append("  " + counts.joined(separator: ", ")) }
        for change in Change.allCases {
            for example in (examples[change] ?? []).prefix(examplesPerChange) {
                lines.append("  \(change.rawValue) \(example.input): \(example.before.text) -> \(example.after.text)")
            }
        }
        for change in declarationChanges { lines.append("  declarations: \(change)") }
        if let generated {
            lines.append("generated \(generated.tried) inputs from the declarations: \(generated.changed) decided differently")
            for change in Change.allCases {
                for example in (generated.examples[change] ?? []).prefix(examplesPerChange) {
                    lines.append("  \(change.rawValue) \(example.input): \(example.before.text) -> \(example.after.text)")
                }
            }
        }
        lines.append("  fuel p50/p99: \(activeFuel.p50)/\(activeFuel.p99) before, \(candidateFuel.p50)/\(candidateFuel.p99) after")
        return lines.joined(separator: "\n")
    }
}

extension ImpactOutcome {
    var text: String {
        switch self {
        case .decided(let value): return value.serialized()
        case .failed(let code): return "error \(code)"
        }
    }
}
