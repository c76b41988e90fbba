import ArgumentParser
import Configuration

/// Everything a `spectral` process reads from its environment, read once (swift-configuration)
/// into one value: `Settings.process`. A flag given on the command line overrides its
/// variable; that rule lives here, once, instead of in each command. Secrets (API keys)
/// are marked so, and never appear in the configuration's own access logs.
struct Settings: Sendable {
    /// The variables, by their key: `spectral.database.url` is `SPECTRAL_DATABASE_URL`.
    enum Key: String, CaseIterable {
        case databaseURL = "spectral.database.url"
        case generation = "spectral.generation"
        case port = "spectral.port"
        case host = "spectral.host"
        case demo = "spectral.demo"
        case jwksFile = "spectral.jwks.file"
        case logLevel = "spectral.log.level"
        case logFormat = "spectral.log.format"
        case llmBaseURL = "spectral.llm.base.url"
        case llmAPIKey = "spectral.llm.api.key"
        case llmModel = "spectral.llm.model"
        case apiKey = "spectral.api.key"
        case workerAdoptAfter = "spectral.worker.adopt.after"
        case agentConcurrency = "spectral.agent.concurrency"
        case agentLease = "spectral.agent.lease"
        case authFailureBurst = "spectral.auth.failure.burst"
        case decisionLogMaxAge = "spectral.decision.log.max.age"
        case decisionLogMaxRows = "spectral.decision.log.max.rows"
        case decisionLogJSONLines = "spectral.decision.log.jsonl"

        var isSecret: Bool { self == .llmAPIKey || self == .apiKey }
        /// The environment variable's name, for messages.
        var variable: String { rawValue.uppercased().replacingOccurrences(of: ".", with: "_") }
    }

    /// This process's settings, read from its environment on first use.
    static let process = Settings(environment: EnvironmentVariablesProvider(
        secretsSpecifier: .specific(Set(Key.allCases.filter(\.isSecret).map(\.variable)))))

    private let reader: ConfigReader

    init(environment: EnvironmentVariablesProvider) {
        reader = ConfigReader(provider: environment)
    }

    /// The flag's value if given, else the variable's (an empty variable is unset).
    func string(_ key: Key, flag: String? = nil) -> String? {
        if let flag { return flag }
        guard let value = reader.string(forKey: ConfigKey(key.rawValue), isSecret: key.isSecret), !value.isEmpty else { return nil }
        return value
    }

    /// An integer setting; a variable that is not one is a usage error naming it.
    func integer<T: FixedWidthInteger>(_ key: Key, flag: T? = nil, as type: T.Type = T.self) throws -> T? {
        if let flag { return flag }
        guard let text = string(key) else { return nil }
        guard let value = T(text) else { throw ValidationError("\(key.variable) must be an integer, got '\(text)'") }
        return value
    }

    /// A number setting (seconds, for instance); a variable that is not one, or is negative,
    /// is a usage error naming it.
    func decimal(_ key: Key, flag: Double? = nil) throws -> Double? {
        guard let value = try flag ?? string(key).map({ text in
            guard let value = Double(text) else { throw ValidationError("\(key.variable) must be a number, got '\(text)'") }
            return value
        }) else { return nil }
        guard value.isFinite, value >= 0 else { throw ValidationError("\(key.variable) must be a non-negative number of seconds, got \(value)") }
        return value
    }

    /// A yes/no setting: the flag, or the variable set to `1` or `true`.
    func isOn(_ key: Key, flag: Bool = false) -> Bool {
        flag || ["1", "true"].contains(string(key)?.lowercased() ?? "")
    }
}
