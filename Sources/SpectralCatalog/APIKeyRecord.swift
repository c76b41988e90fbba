import Foundation

/// A stored API key: its public id, a SHA-256 hash of the whole key (never the key), the
/// scopes it grants and its rate limit.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Hex SHA-256 of the whole key text.
    public var keyHash: String
    public var scopes: [String]
    public var ratePerSecond: Double
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, name: String, keyHash: String, scopes: [String], ratePerSecond: Double,
                createdAt: Date = Date(), revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.keyHash = keyHash
        self.scopes = scopes
        self.ratePerSecond = ratePerSecond
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
