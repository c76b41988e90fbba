import Foundation
import JWTKit
import Spectral

/// Checks JSON Web Tokens against keys from a local JWKS file, with jwt-kit doing the
/// cryptography: `ES256` (P-256) and `RS256` signatures, `exp` (required) and `nbf` with
/// 60 s of leeway, and `iss` and `aud`, which are required: a verifier that accepted any
/// issuer would accept tokens minted for any other service trusting the same keys.
/// `JWTShape` refuses what jwt-kit's decoding lets through. Scopes come from `scope`
/// (space-separated) or `scp` (an array); the caller and its rate-limit bucket are `sub`.
///
/// ECDSA signatures are malleable: `(r, s)` and `(r, n − s)` both verify, so one token
/// has two valid spellings. That is harmless here — nothing is keyed on a token's text
/// (no replay cache; the identity is `sub`) — and refusing high-`s` would refuse about
/// half the tokens of issuers that do not normalise, so both are accepted.
///
/// Each key is pinned to its algorithm when the JWKS is read, and a token's header must
/// name a known key and that key's algorithm: jwt-kit would otherwise fall back to a
/// default key for an unknown `kid`, and a key published without `alg` would take the
/// algorithm of the first token that names it.
public struct JWTVerifier: Sendable {
    public struct Claims: Sendable, Equatable {
        public var subject: String
        public var scopes: [String]
    }

    /// Why a token was refused, in words that never repeat the token.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Each usable key's algorithm, by key id.
    let algorithms: [String: String]
    /// jwt-kit's key collection is an actor, filled asynchronously; this task fills it once,
    /// at init, and every verification awaits it.
    let keys: Task<JWTKeyCollection, any Error>
    let issuer: String
    let audience: String

    /// Reads a JWKS document (`{"keys": [{"kty", "kid", …}]}`); keys of other types are
    /// skipped, and a usable key whose material is broken fails here, at startup.
    public init(jwks: [UInt8], issuer: String, audience: String) throws {
        guard !issuer.isEmpty, !audience.isEmpty else { throw Failure(description: "a JWT issuer and audience are required") }
        guard let entries = (try? JSONValue.parse(jwks))?["keys"]?.arrayValue else {
            throw Failure(description: "a JWKS document is {\"keys\": [...]}")
        }
        var usable: [JWK] = []
        var algorithms: [String: String] = [:]
        for entry in entries {
            guard let kid = entry["kid"]?.stringValue else { continue }
            switch entry["kty"]?.stringValue {
            case "EC" where entry["crv"]?.stringValue == "P-256":
                guard let x = entry["x"]?.stringValue, let y = entry["y"]?.stringValue else { continue }
                do { _ = try ES256PublicKey(parameters: (x, y)) } catch {
                    throw Failure(description: "JWKS key '\(kid)' is not a P-256 public key")
                }
                usable.append(.ecdsa(.es256, identifier: JWKIdentifier(string: kid), x: x, y: y, curve: .p256))
                algorithms[kid] = "ES256"
            case "RSA":
                guard let n = entry["n"]?.stringValue, let e = entry["e"]?.stringValue else { continue }
                do { _ = try Insecure.RSA.PublicKey(modulus: n, exponent: e) } catch {
                    throw Failure(description: "JWKS key '\(kid)' is not a usable RSA public key")
                }
                usable.append(.rsa(.rs256, identifier: JWKIdentifier(string: kid), modulus: n, exponent: e))
                algorithms[kid] = "RS256"
            default:
                continue
            }
        }
        guard !usable.isEmpty else { throw Failure(description: "the JWKS holds no usable ES256 or RS256 key") }
        let set = JWKS(keys: usable)
        keys = Task {
            let collection = JWTKeyCollection()
            try await collection.add(jwks: set)
            // No default key: a token naming an unknown key is refused, not tried with another.
            await collection.clearDefault()
            return collection
        }
        self.algorithms = algorithms
        self.issuer = issuer
        self.audience = audience
    }

    public static func looksLikeJWT(_ token: String) -> Bool { token.split(separator: ".", omittingEmptySubsequences: false).count == 3 }

    public func verify(_ token: String, now: Double = Date().timeIntervalSince1970) async throws(Failure) -> Claims {
        let shape = try JWTShape(token)
        let header = shape.header
        guard let kid = header["kid"]?.stringValue, let algorithm = algorithms[kid] else { throw Failure(description: "unknown key id") }
        guard header["alg"]?.stringValue == algorithm else { throw Failure(description: "algorithm does not match the key") }
        let payload: JWTClaimsPayload
        do {
            payload = try await keys.value.verify(token, as: JWTClaimsPayload.self)
        } catch {
            throw Failure(rejecting: error)
        }
        try payload.check(now: Date(timeIntervalSince1970: now), issuer: issuer, audience: audience)
        guard let subject = payload.sub?.value else { throw Failure(description: "sub is required") }
        return Claims(subject: subject, scopes: payload.scopes)
    }
}

extension JWTVerifier.Failure {
    /// A fixed message per kind of jwt-kit error: their own descriptions can quote the
    /// token's contents (decoding errors, claim values), and these reach clients.
    init(rejecting error: any Error) {
        guard let type = (error as? JWTError)?.errorType else {
            description = "token rejected"
            return
        }
        switch type {
        case .signatureVerificationFailed: description = "bad signature"
        case .malformedToken: description = "malformed token or claims (exp is required)"
        case .unknownKID, .missingKIDHeader, .noKeyProvided: description = "unknown key id"
        default: description = "token rejected"
        }
    }
}
