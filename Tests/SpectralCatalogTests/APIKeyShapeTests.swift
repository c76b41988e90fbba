import SpectralCatalog
import Testing

/// Key texts are checked byte by byte (review finding: the id's length was counted in
/// characters, so a 12-"character" id could carry 72 KB of combining accents into the
/// key cache and the store).
@Suite struct APIKeyShapeTests {
    @Test func issuedKeysHaveTheirIDAndNothingElseDoes() {
        let (record, key) = APIKeyRecord.issue(name: "k", scopes: ["decide"], ratePerSecond: 1)
        #expect(APIKeyRecord.id(of: key) == record.id)
        #expect(key.utf8.count == APIKeyRecord.keyLength)
        let secret = String(repeating: "0", count: 40)
        #expect(APIKeyRecord.id(of: "spk_0123456789ab_" + secret) == "0123456789ab")
        let accented = String(repeating: "a" + String(repeating: "\u{301}", count: 6_000), count: 12)
        #expect(accented.count == 12, "12 characters, \(accented.utf8.count) bytes")
        #expect(APIKeyRecord.id(of: "spk_" + accented + "_" + secret) == nil)
        #expect(APIKeyRecord.id(of: "spk_0123456789AB_" + secret) == nil, "issued ids are lowercase")
        #expect(APIKeyRecord.id(of: "spk_0123456789ab-" + secret) == nil)
        #expect(APIKeyRecord.id(of: "spk_0123456789ab_" + secret + "0") == nil)
        #expect(APIKeyRecord.id(of: "spx_0123456789ab_" + secret) == nil)
        #expect(APIKeyRecord.id(of: "spk_0123456789ab_" + String(repeating: "g", count: 40)) == nil)
    }
}
