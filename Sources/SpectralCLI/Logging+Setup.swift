import Logging

/// Logs go to standard error: human-readable by default, one JSON object per line with
/// `SPECTRAL_LOG_FORMAT=json`; `SPECTRAL_LOG_LEVEL` sets the level (default info).
enum LogSetup {
    static func bootstrap() {
        let level = ProcessEnvironment.value("SPECTRAL_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        let json = ProcessEnvironment.value("SPECTRAL_LOG_FORMAT") == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    static func logger(_ label: String) -> Logger { Logger(label: "spectral.\(label)") }
}
