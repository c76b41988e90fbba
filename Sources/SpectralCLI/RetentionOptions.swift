import ArgumentParser
import SpectralWorker

/// The decision log's retention, as `spectral work` (and `spectral run`, which passes them
/// on) reads it: flags, else `SPECTRAL_DECISION_LOG_MAX_AGE` and `SPECTRAL_DECISION_LOG_MAX_ROWS`,
/// else 30 days and 10,000,000 rows. `off` lifts a limit.
struct RetentionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Prune logged decisions older than this: a number and a unit, s, m, h or d (12h, 7d), or off. Default: $SPECTRAL_DECISION_LOG_MAX_AGE, else 30d.",
                               valueName: "age"))
    var decisionLogMaxAge: String?
    @Option(help: ArgumentHelp("Keep at most this many logged decisions (the newest), or off. Default: $SPECTRAL_DECISION_LOG_MAX_ROWS, else 10000000.",
                               valueName: "rows"))
    var decisionLogMaxRows: String?
    @Option(help: ArgumentHelp("Seconds between pruning passes.", valueName: "s"))
    var decisionLogPruneInterval = 60.0

    /// The arguments that pass these on to a child process (`spectral run` → `work`): only
    /// those given, so the child still reads the environment for the rest.
    var forwarded: [String] {
        var arguments: [String] = []
        if let decisionLogMaxAge { arguments += ["--decision-log-max-age", decisionLogMaxAge] }
        if let decisionLogMaxRows { arguments += ["--decision-log-max-rows", decisionLogMaxRows] }
        if decisionLogPruneInterval != 60 { arguments += ["--decision-log-prune-interval", String(decisionLogPruneInterval)] }
        return arguments
    }

    /// The retention to apply; a value that does not parse is a usage error naming its
    /// flag (or variable) and what it accepts.
    func retention() throws -> DecisionLogRetention {
        let age = try Settings.process.string(.decisionLogMaxAge, flag: decisionLogMaxAge).map { text -> Duration? in
            if text == "off" { return nil }
            guard let age = Self.age(text) else {
                throw ValidationError("--decision-log-max-age (or SPECTRAL_DECISION_LOG_MAX_AGE) must be a positive number and a unit, s, m, h or d (such as 12h or 7d), or off; got '\(text)'")
            }
            return age
        } ?? DecisionLogRetention.defaultMaxAge
        let rows = try Settings.process.string(.decisionLogMaxRows, flag: decisionLogMaxRows).map { text -> Int? in
            if text == "off" { return nil }
            guard let rows = Int(text), rows >= 1 else {
                throw ValidationError("--decision-log-max-rows (or SPECTRAL_DECISION_LOG_MAX_ROWS) must be a whole number of at least 1, or off; got '\(text)'")
            }
            return rows
        } ?? DecisionLogRetention.defaultMaxRows
        guard decisionLogPruneInterval.isFinite, decisionLogPruneInterval > 0 else {
            throw ValidationError("--decision-log-prune-interval must be a positive number of seconds, got \(decisionLogPruneInterval)")
        }
        return DecisionLogRetention(maxAge: age, maxRows: rows, interval: .seconds(decisionLogPruneInterval))
    }

    /// `90s`, `15m`, `12h`, `7d`, `1.5d`: positive, with a unit.
    static func age(_ text: String) -> Duration? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let number = Double(text.dropLast()),
              number.isFinite, number > 0, number * unit < 1e12 else { return nil }
        return .milliseconds(Int64((number * unit * 1000).rounded()))
    }
}
