import SpectralCatalog
import Foundation
import Logging

/// Where the store lives, from `SPECTRAL_DATABASE_URL` (or `--database-url`): unset means the
/// embedded SQLite file `spectral.sqlite` in the working directory; `sqlite:PATH` names
/// another file; `postgres://user[:password]@host[:port]/database[?sslmode=disable|require]`
/// selects PostgreSQL.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public static let defaultSQLitePath = "spectral.sqlite"

    public init(url: String?) throws(StoreError) {
        guard let url, !url.isEmpty else {
            self = .sqlite(path: Self.defaultSQLitePath)
            return
        }
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw .invalidDatabaseURL(url) }
            self = .sqlite(path: path)
            return
        }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"),
              let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty else {
            throw .invalidDatabaseURL(url)
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(sslMode) else { throw .invalidDatabaseURL(url) }
        self = .postgres(PostgresLocation(host: host, port: components.port ?? 5432, user: user,
                                          password: components.password?.removingPercentEncoding,
                                          database: database.isEmpty ? user : database, sslMode: sslMode))
    }

    /// Opens the store this location names.
    public func open(logger: Logger) async throws -> any Store {
        switch self {
        case .sqlite(let path): return try SQLiteStore(path: path, logger: logger)
        case .postgres(let location): return try PostgresStore(location, logger: logger)
        }
    }

    /// The location without its password, for logs.
    public var redacted: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let p): return "postgres://\(p.user)@\(p.host):\(p.port)/\(p.database)"
        }
    }
}

public struct PostgresLocation: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// `disable`, `prefer` or `require`.
    public var sslMode: String
}
