import Logging

/// Logs go to standard error: human-readable by default, one JSON object per line with
/// `SPECTRAL_LOG_FORMAT=json`; `SPECTRAL_LOG_LEVEL` sets the level (default info).
enum LogSetup {
    static func bootstrap() {
        let level = Settings.process.string(.logLevel).flatMap(Logger.Level.init(rawValue:)) ?? .info
        let json = Settings.process.string(.logFormat) == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = StandardErrorLogHandler(label: label, format: json ? .json : .text)
            handler.logLevel = level
            return handler
        }
    }

    static func logger(_ label: String) -> Logger { Logger(label: "spectral.\(label)") }
}
