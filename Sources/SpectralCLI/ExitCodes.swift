import ArgumentParser

/// Exit codes shared by the developer commands.
enum ExitCodes {
    /// The expression evaluated to a CEL error.
    static let evaluationError = ExitCode(1)
    /// The source did not parse or check, or an argument was invalid.
    static let compileError = ExitCode(2)
    /// Fuel or memory ran out.
    static let resourceLimit = ExitCode(3)
}
