import Foundation

/// The two store backends a test runs against, each on fresh storage: a new SQLite file
/// in a temporary directory, or a new database on the test PostgreSQL server.
public enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    public var testDescription: String { rawValue }

    /// A `SPECTRAL_DATABASE_URL` for fresh, empty storage.
    public func freshDatabaseURL() throws -> String {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spectral-sqlite-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return "sqlite:\(directory.path)/spectral.sqlite"
        case .postgres:
            return try PostgresServer.shared().createDatabase()
        }
    }
}

/// Swift Testing's protocol, restated so this support target needs no Testing import.
public protocol CustomTestStringConvertible {
    var testDescription: String { get }
}
