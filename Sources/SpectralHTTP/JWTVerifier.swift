import Crypto
import _CryptoExtras
import Foundation
import SpectralJSON

/// Checks JSON Web Tokens against keys from a local JWKS file: `ES256` (P-256) and `RS256`
/// signatures, `exp` (required) and `nbf` with 60 s of leeway, and `iss` / `aud` when
/// configured. Scopes come from `scope` (space-separated) or `scp` (an array); the rate-limit
/// identity is `sub`.
public struct JWTVerifier: Sendable {
    enum Key: Sendable {
        case es256(P256.Signing.PublicKey)
        case rs256(_RSA.Signing.PublicKey)
    }

    public struct Claims: Sendable, Equatable {
        public var subject: String
        public var scopes: [String]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    let keys: [String: Key]
    let issuer: String?
    let audience: String?

    /// Reads a JWKS document (`{"keys": [{"kty", "kid", …}]}`); keys of other types are skipped.
    public init(jwks: [UInt8], issuer: String? = nil, audience: String? = nil) throws {
        guard let entries = (try? JSONValue.parse(jwks))?["keys"]?.arrayValue else {
            throw Failure(description: "a JWKS document is {\"keys\": [...]}")
        }
        var keys: [String: Key] = [:]
        for entry in entries {
            guard let kid = entry["kid"]?.stringValue else { continue }
            switch entry["kty"]?.stringValue {
            case "EC" where entry["crv"]?.stringValue == "P-256":
                guard let x = entry["x"]?.stringValue.flatMap(Base64URL.decode), let y = entry["y"]?.stringValue.flatMap(Base64URL.decode) else { continue }
                keys[kid] = .es256(try P256.Signing.PublicKey(rawRepresentation: x + y))
            case "RSA":
                guard let n = entry["n"]?.stringValue.flatMap(Base64URL.decode), let e = entry["e"]?.stringValue.flatMap(Base64URL.decode) else { continue }
                keys[kid] = .rs256(try _RSA.Signing.PublicKey(n: n, e: e))
            default:
                continue
            }
        }
        guard !keys.isEmpty else { throw Failure(description: "the JWKS holds no usable ES256 or RS256 key") }
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
    }

    public static func looksLikeJWT(_ token: String) -> Bool { token.split(separator: ".", omittingEmptySubsequences: false).count == 3 }

    public func verify(_ token: String, now: Double = Date().timeIntervalSince1970) throws(Failure) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(String(parts[0])), let payloadBytes = Base64URL.decode(String(parts[1])),
              let signature = Base64URL.decode(String(parts[2])),
              let header = try? JSONValue.parse(headerBytes), let payload = try? JSONValue.parse(payloadBytes) else {
            throw Failure(description: "malformed token")
        }
        guard let kid = header["kid"]?.stringValue, let key = keys[kid] else { throw Failure(description: "unknown key id") }
        let signed = Data((parts[0] + "." + parts[1]).utf8)
        let valid: Bool
        switch (key, header["alg"]?.stringValue) {
        case (.es256(let publicKey), "ES256"):
            valid = (try? P256.Signing.ECDSASignature(rawRepresentation: signature)).map { publicKey.isValidSignature($0, for: signed) } ?? false
        case (.rs256(let publicKey), "RS256"):
            valid = publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signed, padding: .insecurePKCS1v1_5)
        default:
            throw Failure(description: "algorithm does not match the key")
        }
        guard valid else { throw Failure(description: "bad signature") }
        guard let exp = payload["exp"]?.doubleValue, exp + 60 >= now else { throw Failure(description: "token expired or without exp") }
        if let nbf = payload["nbf"]?.doubleValue, nbf - 60 > now { throw Failure(description: "token not yet valid") }
        if let issuer, payload["iss"]?.stringValue != issuer { throw Failure(description: "wrong issuer") }
        if let audience {
            let audiences = payload["aud"]?.arrayValue?.compactMap(\.stringValue) ?? payload["aud"]?.stringValue.map { [$0] } ?? []
            guard audiences.contains(audience) else { throw Failure(description: "wrong audience") }
        }
        let scopes = payload["scope"]?.stringValue?.split(separator: " ").map(String.init)
            ?? payload["scp"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return Claims(subject: payload["sub"]?.stringValue ?? "", scopes: scopes)
    }
}

/// Base64url without padding (RFC 7515).
enum Base64URL {
    static func decode(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
