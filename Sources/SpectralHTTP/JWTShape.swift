import Spectral

/// What a token must look like before its signature is worth checking, and what jwt-kit's
/// decoding lets through (review findings): every part canonical base64url without
/// padding (one token, one spelling); no `crit` header (RFC 7515 §4.1.11: a recipient
/// must reject critical extensions it does not understand, and we understand none);
/// `exp` a finite number a calendar can hold (`1e400` decoded as never expiring); `nbf`
/// and `iat`, when present, numbers (a string `nbf` was ignored); `sub` a non-empty
/// string of at most `maxSubjectBytes` (the caller's identity and rate-limit bucket:
/// tokens without one shared a bucket); `iss` a string and `aud` a string or strings.
struct JWTShape {
    /// 9999-12-31T23:59:59Z: later is not a date but a way of saying "never".
    static let latestTime = 253_402_300_799.0
    static let maxSubjectBytes = 256

    let header: JSONValue
    let payload: JSONValue

    init(_ token: String) throws(JWTVerifier.Failure) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw JWTVerifier.Failure(description: "malformed token") }
        var decoded: [[UInt8]] = []
        for part in parts {
            guard let bytes = Base64.decode(part, alphabet: .url),
                  Base64.encode(bytes, alphabet: .url, padding: false) == part else {
                throw JWTVerifier.Failure(description: "malformed token: each part must be canonical base64url without padding")
            }
            decoded.append(bytes)
        }
        guard let header = try? JSONValue.parse(decoded[0]), header.objectValue != nil,
              let payload = try? JSONValue.parse(decoded[1]), payload.objectValue != nil else {
            throw JWTVerifier.Failure(description: "malformed token")
        }
        if header["crit"] != nil { throw JWTVerifier.Failure(description: "critical header extensions are not supported") }
        try Self.requireTime(payload["exp"], "exp", required: true)
        try Self.requireTime(payload["nbf"], "nbf", required: false)
        try Self.requireTime(payload["iat"], "iat", required: false)
        guard let subject = payload["sub"]?.stringValue, !subject.isEmpty, subject.utf8.count <= Self.maxSubjectBytes else {
            throw JWTVerifier.Failure(description: "sub must be a non-empty string of at most \(Self.maxSubjectBytes) bytes")
        }
        if let issuer = payload["iss"], issuer.stringValue == nil { throw JWTVerifier.Failure(description: "iss must be a string") }
        if let audience = payload["aud"], audience.stringValue == nil,
           !(audience.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false) {
            throw JWTVerifier.Failure(description: "aud must be a string or an array of strings")
        }
        self.header = header
        self.payload = payload
    }

    private static func requireTime(_ value: JSONValue?, _ name: String, required: Bool) throws(JWTVerifier.Failure) {
        guard let value else {
            if required { throw JWTVerifier.Failure(description: "\(name) is required") }
            return
        }
        guard let seconds = value.doubleValue, seconds.isFinite, (0...latestTime).contains(seconds) else {
            throw JWTVerifier.Failure(description: "\(name) must be a number of seconds since 1970, at most year 9999")
        }
    }
}
