import ArgumentParser

/// Exit codes shared by the developer commands.
enum ExitCodes {
    /// The expression evaluated to a CEL error.
    static let evaluationError = ExitCode(1)
    /// The input could not be read or does not fit the declarations: like an evaluation
    /// error, the expression's fault is not in question (2 is kept for that).
    static let inputError = ExitCode(1)
    /// The source did not parse or check; for `author`, the task is invalid.
    static let compileError = ExitCode(2)
    /// Fuel or memory ran out.
    static let resourceLimit = ExitCode(3)
    /// `status` and `author`: the event is still pending.
    static let pending = ExitCode(3)
    /// A process cannot start as configured (the port is taken, the database URL is
    /// invalid): sysexits' EX_CONFIG. Restarting cannot help, so the supervisor stops.
    static let configuration = ExitCode(78)
    /// The command does not apply as asked (backup or restore of a PostgreSQL store):
    /// sysexits' EX_USAGE, as ArgumentParser's own usage errors.
    static let usage = ExitCode.validationFailure
}
