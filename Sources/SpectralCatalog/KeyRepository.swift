/// API keys, stored as hashes.
public protocol KeyRepository: Sendable {
    /// Stores a new API key (its hash only).
    func insertAPIKey(_ key: APIKeyRecord) async throws
    /// The key with this public id, revoked or not; nil when there is none.
    func apiKey(id: String) async throws -> APIKeyRecord?
    func apiKeys() async throws -> [APIKeyRecord]
    /// Marks a key revoked; it stops working within the API's key cache lifetime.
    func revokeAPIKey(id: String) async throws
}
