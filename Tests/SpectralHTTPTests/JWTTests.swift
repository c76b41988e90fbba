import _CryptoExtras
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import SpectralHTTP
import SpectralTestSupport
import Testing

/// Bearer JWTs checked against a local JWKS: signature (ES256, RS256), expiry, issuer,
/// audience, scopes.
@Suite struct JWTTests {
    let ecKey = P256.Signing.PrivateKey()
    let otherKey = P256.Signing.PrivateKey()

    var jwks: [UInt8] {
        let raw = Array(ecKey.publicKey.rawRepresentation)
        return Array(#"{"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "x": "\#(Base64URL.encode(Array(raw[0..<32])))", "y": "\#(Base64URL.encode(Array(raw[32...])))"}]}"#.utf8)
    }

    func token(_ claims: String, kid: String = "k1", alg: String = "ES256", signer: P256.Signing.PrivateKey? = nil) throws -> String {
        let input = Base64URL.encode(Array(#"{"alg": "\#(alg)", "kid": "\#(kid)", "typ": "JWT"}"#.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let signature = try (signer ?? ecKey).signature(for: Data(input.utf8))
        return input + "." + Base64URL.encode(Array(signature.rawRepresentation))
    }

    var now: Int { Int(Date().timeIntervalSince1970) }

    @Test func verifierChecksSignatureExpiryIssuerAudience() throws {
        let verifier = try JWTVerifier(jwks: jwks, issuer: "https://id.example", audience: "spectral")
        let good = #"{"sub": "svc", "scope": "decide author", "exp": \#(now + 300), "iss": "https://id.example", "aud": ["spectral"]}"#
        #expect(try verifier.verify(try token(good)) == JWTVerifier.Claims(subject: "svc", scopes: ["decide", "author"]))
        #expect(throws: JWTVerifier.Failure.self) { try verifier.verify(try token(good, signer: otherKey)) }
        #expect(throws: JWTVerifier.Failure.self) { try verifier.verify(try token(good, kid: "nope")) }
        #expect(throws: JWTVerifier.Failure.self) { try verifier.verify(try token(good, alg: "RS256")) }
        #expect(throws: JWTVerifier.Failure.self) {
            try verifier.verify(try token(#"{"sub": "svc", "scope": "decide", "exp": \#(now - 3600), "iss": "https://id.example", "aud": "spectral"}"#))
        }
        #expect(throws: JWTVerifier.Failure.self) {
            try verifier.verify(try token(#"{"sub": "svc", "exp": \#(now + 300), "iss": "https://evil.example", "aud": "spectral"}"#))
        }
        #expect(throws: JWTVerifier.Failure.self) { try verifier.verify(try token(#"{"sub": "svc", "iss": "https://id.example", "aud": "spectral"}"#)) }
        #expect(throws: JWTVerifier.Failure.self) { try verifier.verify("a.b.c") }
    }

    @Test func rs256KeysVerify() throws {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let components = try rsa.publicKey.getKeyPrimitives()
        let jwks = #"{"keys": [{"kty": "RSA", "kid": "r1", "n": "\#(Base64URL.encode(Array(components.modulus)))", "e": "\#(Base64URL.encode(Array(components.publicExponent)))"}]}"#
        let verifier = try JWTVerifier(jwks: Array(jwks.utf8))
        let input = Base64URL.encode(Array(#"{"alg": "RS256", "kid": "r1"}"#.utf8)) + "." + Base64URL.encode(Array(#"{"sub": "r", "scp": ["admin"], "exp": \#(now + 60)}"#.utf8))
        let signature = try rsa.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        #expect(try verifier.verify(input + "." + Base64URL.encode(Array(signature.rawRepresentation))).scopes == ["admin"])
        #expect(throws: JWTVerifier.Failure.self) { try verifier.verify(input + "." + Base64URL.encode(Array(repeating: 1, count: 256))) }
    }

    @Test func apiAcceptsTokensWithTheRightScope() async throws {
        let fixture = try await HTTPFixture.make(.sqlite)
        try await fixture.publish("t", "true")
        var configuration = ServerConfiguration(port: 0)
        configuration.jwt = try JWTVerifier(jwks: jwks)
        let decider = try token(#"{"sub": "svc", "scope": "decide", "exp": \#(now + 300)}"#)
        try await fixture.application(configuration).test(.router) { client in
            let ok = try await client.execute(uri: "/v1/decide", method: .post, headers: [.authorization: "Bearer \(decider)"],
                                              body: ByteBuffer(string: #"{"predicate": "t"}"#)) { $0.status }
            #expect(ok == .ok)
            #expect(try await client.get("/v1/predicates/t", headers: [.authorization: "Bearer \(decider)"]).status == .forbidden)
            let forged = try token(#"{"sub": "svc", "scope": "admin", "exp": \#(now + 300)}"#, signer: otherKey)
            let rejected = try await client.get("/v1/predicates/t", headers: [.authorization: "Bearer \(forged)"])
            #expect(rejected.status == .unauthorized && errorCode(rejected.body) == "invalid_token")
        }
        await fixture.store.close()
    }
}
