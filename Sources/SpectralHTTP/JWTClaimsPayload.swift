import Foundation
import JWTKit

/// The claims `JWTVerifier` reads. `exp` is required by the type (a token without it does
/// not decode); the rest are optional and checked when configured.
struct JWTClaimsPayload: JWTPayload {
    /// Clock skew allowed on `exp` and `nbf`, both ways.
    static let leeway: TimeInterval = 60

    var exp: ExpirationClaim
    var nbf: NotBeforeClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var sub: SubjectClaim?
    /// Space-separated scopes (RFC 8693), or …
    var scope: String?
    /// … an array of them, as some identity providers write it.
    var scp: [String]?

    var scopes: [String] { scope.map { $0.split(separator: " ").map(String.init) } ?? scp ?? [] }

    /// jwt-kit calls this once the signature holds. The checks need the verifier's clock and
    /// configuration, which a decoded payload does not carry, so they are in `check`.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// Expiry and not-before against `now` with `leeway`, then issuer and audience.
    func check(now: Date, issuer: String, audience: String) throws(JWTVerifier.Failure) {
        do { try exp.verifyNotExpired(currentDate: now.addingTimeInterval(-Self.leeway)) } catch {
            throw JWTVerifier.Failure(description: "token expired")
        }
        if let nbf {
            do { try nbf.verifyNotBefore(currentDate: now.addingTimeInterval(Self.leeway)) } catch {
                throw JWTVerifier.Failure(description: "token not yet valid")
            }
        }
        guard iss?.value == issuer else { throw JWTVerifier.Failure(description: "wrong issuer") }
        guard let aud, (try? aud.verifyIntendedAudience(includes: audience)) != nil else {
            throw JWTVerifier.Failure(description: "wrong audience")
        }
    }
}
