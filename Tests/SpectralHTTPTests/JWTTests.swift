import _CryptoExtras
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import SpectralHTTP
import Spectral
import SpectralTestSupport
import Testing

/// Bearer JWTs checked against a local JWKS: signature (ES256, RS256), expiry, issuer,
/// audience, scopes.
@Suite struct JWTTests {
    let ecKey = P256.Signing.PrivateKey()
    let otherKey = P256.Signing.PrivateKey()

    var jwks: [UInt8] {
        let raw = Array(ecKey.publicKey.rawRepresentation)
        return Array(#"{"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "x": "\#(base64url(Array(raw[0..<32])))", "y": "\#(base64url(Array(raw[32...])))"}]}"#.utf8)
    }

    func token(_ claims: String, kid: String = "k1", alg: String = "ES256", signer: P256.Signing.PrivateKey? = nil) throws -> String {
        let input = base64url(Array(#"{"alg": "\#(alg)", "kid": "\#(kid)", "typ": "JWT"}"#.utf8)) + "." + base64url(Array(claims.utf8))
        let signature = try (signer ?? ecKey).signature(for: Data(input.utf8))
        return input + "." + base64url(Array(signature.rawRepresentation))
    }

    var now: Int { Int(Date().timeIntervalSince1970) }

    /// JWTs and JWKs are base64url without padding (RFC 7515).
    func base64url(_ bytes: [UInt8]) -> String { Base64.encode(bytes, alphabet: .url, padding: false) }

    @Test func verifierChecksSignatureExpiryIssuerAudience() async throws {
        let verifier = try JWTVerifier(jwks: jwks, issuer: "https://id.example", audience: "spectral")
        let good = #"{"sub": "svc", "scope": "decide author", "exp": \#(now + 300), "iss": "https://id.example", "aud": ["spectral"]}"#
        #expect(try await verifier.verify(try token(good)) == JWTVerifier.Claims(subject: "svc", scopes: ["decide", "author"]))
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try token(good, signer: otherKey)) }
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try token(good, kid: "nope")) }
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try token(good, alg: "RS256")) }
        await #expect(throws: JWTVerifier.Failure.self) {
            try await verifier.verify(try token(#"{"sub": "svc", "scope": "decide", "exp": \#(now - 3600), "iss": "https://id.example", "aud": "spectral"}"#))
        }
        await #expect(throws: JWTVerifier.Failure.self) {
            try await verifier.verify(try token(#"{"sub": "svc", "exp": \#(now + 300), "iss": "https://evil.example", "aud": "spectral"}"#))
        }
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try token(#"{"sub": "svc", "iss": "https://id.example", "aud": "spectral"}"#)) }
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify("a.b.c") }
    }

    @Test func rs256KeysVerify() async throws {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let components = try rsa.publicKey.getKeyPrimitives()
        let jwks = #"{"keys": [{"kty": "RSA", "kid": "r1", "n": "\#(base64url(Array(components.modulus)))", "e": "\#(base64url(Array(components.publicExponent)))"}]}"#
        let verifier = try JWTVerifier(jwks: Array(jwks.utf8), issuer: "https://id.example", audience: "spectral")
        let input = base64url(Array(#"{"alg": "RS256", "kid": "r1"}"#.utf8)) + "." + base64url(Array(#"{"iss": "https://id.example", "aud": "spectral", "sub": "r", "scp": ["admin"], "exp": \#(now + 60)}"#.utf8))
        let signature = try rsa.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        #expect(try await verifier.verify(input + "." + base64url(Array(signature.rawRepresentation))).scopes == ["admin"])
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(input + "." + base64url(Array(repeating: 1, count: 256))) }
    }

    @Test func expiryAndNotBeforeAllowAMinuteOfSkew() async throws {
        let verifier = try JWTVerifier(jwks: jwks, issuer: "https://id.example", audience: "spectral")
        #expect(try await verifier.verify(try token(#"{"iss": "https://id.example", "aud": "spectral", "sub": "a", "exp": \#(now - 30)}"#)).subject == "a")
        #expect(try await verifier.verify(try token(#"{"iss": "https://id.example", "aud": "spectral", "sub": "b", "exp": \#(now + 300), "nbf": \#(now + 30)}"#)).subject == "b")
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try token(#"{"iss": "https://id.example", "aud": "spectral", "exp": \#(now - 90)}"#)) }
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try token(#"{"iss": "https://id.example", "aud": "spectral", "exp": \#(now + 900), "nbf": \#(now + 600)}"#)) }
        // The verifier's clock can be given.
        let later = Double(now + 3600)
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try token(#"{"iss": "https://id.example", "aud": "spectral", "exp": \#(now + 300)}"#), now: later) }
    }

    /// jwt-kit would try a default key for an unknown `kid`, and give a key published without
    /// `alg` the algorithm of the first token naming it; the verifier pins both.
    @Test func keysArePinnedToTheirIdAndAlgorithm() async throws {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let components = try rsa.publicKey.getKeyPrimitives()
        let jwks = #"{"keys": [{"kty": "RSA", "kid": "r1", "n": "\#(base64url(Array(components.modulus)))", "e": "\#(base64url(Array(components.publicExponent)))"}]}"#
        let verifier = try JWTVerifier(jwks: Array(jwks.utf8), issuer: "https://id.example", audience: "spectral")
        func signed(_ header: String, padding: _RSA.Signing.Padding) throws -> String {
            let input = base64url(Array(header.utf8)) + "." + base64url(Array(#"{"iss": "https://id.example", "aud": "spectral", "sub": "r", "exp": \#(now + 60)}"#.utf8))
            return input + "." + base64url(Array(try rsa.signature(for: Data(input.utf8), padding: padding).rawRepresentation))
        }
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try signed(#"{"alg": "PS256", "kid": "r1"}"#, padding: .PSS)) }
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try signed(#"{"alg": "RS256"}"#, padding: .insecurePKCS1v1_5)) }
        await #expect(throws: JWTVerifier.Failure.self) { try await verifier.verify(try signed(#"{"alg": "RS256", "kid": "r2"}"#, padding: .insecurePKCS1v1_5)) }
        #expect(try await verifier.verify(try signed(#"{"alg": "RS256", "kid": "r1"}"#, padding: .insecurePKCS1v1_5)).subject == "r")
    }

    /// Refusals reach clients (401 bodies), so they name the reason and nothing of the token.
    @Test func refusalsNeverQuoteTheToken() async throws {
        let verifier = try JWTVerifier(jwks: jwks, issuer: "https://id.example", audience: "spectral")
        let marker = "marker-7f3a"
        let claims = [
            #"{"sub": "\#(marker)", "exp": \#(now - 3600), "iss": "https://id.example", "aud": "spectral"}"#,
            #"{"sub": "\#(marker)", "exp": \#(now + 300), "iss": "\#(marker)", "aud": "spectral"}"#,
            #"{"sub": "\#(marker)", "exp": \#(now + 300), "iss": "https://id.example", "aud": "\#(marker)"}"#,
            #"{"sub": "\#(marker)", "exp": "\#(marker)"}"#,
            #"{"sub": ["\#(marker)"], "exp": \#(now + 300)}"#,
        ]
        var tokens = try claims.map { try token($0) } + [try token(claims[0], signer: otherKey), try token(claims[0], kid: marker)]
        tokens.append(base64url(Array(#"{"alg": "ES256", "kid": "k1"}"#.utf8)) + "." + marker + "." + marker)
        for token in tokens {
            do {
                _ = try await verifier.verify(token)
                Issue.record("accepted \(token)")
            } catch {
                #expect(!error.description.contains(marker), "\(error.description)")
                for part in token.split(separator: ".") where part.count > 8 { #expect(!error.description.contains(part)) }
            }
        }
    }

    @Test func apiAcceptsTokensWithTheRightScope() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("t", "true")
        var configuration = ServerConfiguration(port: 0)
        configuration.jwt = try JWTVerifier(jwks: jwks, issuer: "https://id.example", audience: "spectral")
        let decider = try token(#"{"iss": "https://id.example", "aud": "spectral", "sub": "svc", "scope": "decide", "exp": \#(now + 300)}"#)
        try await fixture.application(configuration).test(.router) { client in
            let ok = try await client.execute(uri: "/v1/decide", method: .post, headers: [.authorization: "Bearer \(decider)"],
                                              body: ByteBuffer(string: #"{"predicate": "t"}"#)) { $0.status }
            #expect(ok == .ok)
            #expect(try await client.get("/v1/predicates/t", headers: [.authorization: "Bearer \(decider)"]).status == .forbidden)
            let forged = try token(#"{"iss": "https://id.example", "aud": "spectral", "sub": "svc", "scope": "admin", "exp": \#(now + 300)}"#, signer: otherKey)
            let rejected = try await client.get("/v1/predicates/t", headers: [.authorization: "Bearer \(forged)"])
            #expect(rejected.status == .unauthorized && errorCode(rejected.body) == "invalid_token")
        }
        await fixture.store.close()
    }

    /// Review findings on what jwt-kit's decoding let through; each refused, by reason.
    @Test func looseTokensAreRefused() async throws {
        let verifier = try JWTVerifier(jwks: jwks, issuer: "https://id.example", audience: "spectral")
        let base = #""iss": "https://id.example", "aud": "spectral", "sub": "svc""#
        func refusal(_ token: String) async -> String? {
            do { _ = try await verifier.verify(token); return nil } catch { return error.description }
        }
        #expect(try await verifier.verify(try token("{\(base), \"exp\": \(now + 300)}")).subject == "svc")
        #expect(await refusal(try token("{\(base), \"exp\": 1e400}")) == "exp must be a number of seconds since 1970, at most year 9999")
        #expect(await refusal(try token("{\(base), \"exp\": 1e300}")) == "exp must be a number of seconds since 1970, at most year 9999")
        #expect(await refusal(try token("{\(base), \"exp\": \(now + 300), \"nbf\": \"\(now + 9000)\"}")) == "nbf must be a number of seconds since 1970, at most year 9999")
        #expect(await refusal(try token(#"{"iss": "https://id.example", "aud": "spectral", "exp": \#(now + 300)}"#)) == "sub must be a non-empty string of at most 256 bytes")
        #expect(await refusal(try token("{\(base.replacing("\"svc\"", with: "\"\(String(repeating: "s", count: 257))\"")), \"exp\": \(now + 300)}")) != nil)
        #expect(await refusal(try token(#"{"sub": "svc", "exp": \#(now + 300)}"#)) == "wrong issuer", "any issuer was accepted when none was configured")
        #expect(await refusal(try token(#"{"sub": "svc", "iss": "https://id.example", "exp": \#(now + 300)}"#)) == "wrong audience")

        let claims = "{\(base), \"exp\": \(now + 300)}"
        let good = try token(claims)
        // An unknown critical header: RFC 7515 says reject.
        let header = base64url(Array(#"{"alg": "ES256", "kid": "k1", "crit": ["exp-policy"], "exp-policy": 1}"#.utf8))
        let critInput = header + "." + base64url(Array(claims.utf8))
        let critical = critInput + "." + base64url(Array(try ecKey.signature(for: Data(critInput.utf8)).rawRepresentation))
        #expect(await refusal(critical) == "critical header extensions are not supported")
        // Non-canonical base64url: padding, or a last symbol whose unused bits are set.
        #expect(await refusal(good + "=") == "malformed token: each part must be canonical base64url without padding")
        let signature = String(good.split(separator: ".")[2])
        let last = signature.last!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let sameBits = alphabet[alphabet.firstIndex(of: last)! ^ 1]  // 64 bytes end in 4 spare bits
        let respelled = String(good.dropLast()) + String(sameBits)
        #expect(Base64.decode(String(respelled.split(separator: ".")[2]), alphabet: .url) == Base64.decode(signature, alphabet: .url))
        #expect(await refusal(respelled) == "malformed token: each part must be canonical base64url without padding")
    }

    /// ECDSA's other spelling of a signature, (r, n − s), verifies (it is the same
    /// signature to the curve); accepted, and it is the same caller in the same bucket.
    @Test func theMalleableSpellingIsTheSameCaller() async throws {
        let verifier = try JWTVerifier(jwks: jwks, issuer: "https://id.example", audience: "spectral")
        let good = try token(#"{"iss": "https://id.example", "aud": "spectral", "sub": "svc", "scope": "decide", "exp": \#(now + 300)}"#)
        let parts = good.split(separator: ".").map(String.init)
        let signature = try #require(Base64.decode(parts[2], alphabet: .url))
        let order: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                              0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51]
        var negated = [UInt8](repeating: 0, count: 32), borrow = 0
        for index in (0..<32).reversed() {
            let difference = Int(order[index]) - Int(signature[32 + index]) - borrow
            negated[index] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        let other = parts[0] + "." + parts[1] + "." + base64url(Array(signature[0..<32]) + negated)
        #expect(other != good)
        #expect(try await verifier.verify(other) == verifier.verify(good))
    }
}
