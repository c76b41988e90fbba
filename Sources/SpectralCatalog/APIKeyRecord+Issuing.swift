import Crypto

/// Making and checking keys: `spk_<id>_<secret>`, 12 hex digits of public id and 40 of
/// secret (160 random bits). Only the SHA-256 of the whole text is stored.
extension APIKeyRecord {
    public static let scopes = ["decide", "author", "audit", "admin"]

    /// A new key and the record to store; the key text is shown once and never stored.
    public static func issue(name: String, scopes: [String], ratePerSecond: Double) -> (record: APIKeyRecord, key: String) {
        var generator = SystemRandomNumberGenerator()
        let id = hex((0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let secret = hex((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let key = "spk_\(id)_\(secret)"
        return (APIKeyRecord(id: id, name: name, keyHash: hash(key), scopes: scopes, ratePerSecond: ratePerSecond), key)
    }

    /// The public id of a key text, nil when it is not shaped like a key: exactly
    /// `spk_` + 12 + `_` + 40 lowercase hex digits, checked byte by byte. (Counting
    /// characters let a 12-"character" id be 72 KB of combining accents.)
    public static func id(of key: String) -> String? {
        let bytes = key.utf8
        guard bytes.count == keyLength, bytes.starts(with: "spk_".utf8) else { return nil }
        for (offset, byte) in bytes.enumerated().dropFirst(4) {
            let isSeparator = offset == 16
            guard isSeparator ? byte == UInt8(ascii: "_") : isLowercaseHexDigit(byte) else { return nil }
        }
        return String(key.dropFirst(4).prefix(12))  // all ASCII: characters are bytes
    }

    /// `spk_`, 12 hex digits, `_`, 40 hex digits.
    public static let keyLength = 4 + 12 + 1 + 40

    private static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    public static func hash(_ key: String) -> String { hex(Array(SHA256.hash(data: Array(key.utf8)))) }

    /// Whether `key` is this record's key (constant-time over the hash).
    public func matches(_ key: String) -> Bool {
        let candidate = Array(Self.hash(key).utf8), stored = Array(keyHash.utf8)
        guard candidate.count == stored.count else { return false }
        return zip(candidate, stored).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Admin implies every scope.
    public func grants(_ scope: String) -> Bool { scopes.contains(scope) || scopes.contains("admin") }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }
}
