import Foundation
import HummingbirdTesting
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import Testing

/// Modules stored before format version 2 carry no declarations: the API gives them the
/// declarations kept in their row, so they bind input exactly as when they were published.
@Suite struct StoredModuleCompatibilityTests {
    static let v1Module = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/modules/v1-big-spender.spbc")

    @Test(arguments: TestBackend.allCases)
    func versionOneModulesDecideAsPublished(_ backend: TestBackend) async throws {
        let bytecode = [UInt8](try Data(contentsOf: Self.v1Module))
        #expect(ModuleDecoder.formatVersion(of: bytecode) == 1)
        let fixture = try await HTTPFixture.make(backend)
        let definition = PredicateDefinition(name: "big_spender", source: #"amount > 1000.0 && customer.tier in ["gold", "platinum"]"#,
                                             declarations: ["amount": "double", "customer": "map(string, dyn)"])
        _ = try await fixture.store.submit(.predicateAuthored(definition), generation: 1)
        // Published as a previous release did: the version-1 bytes, as they were stored.
        _ = try await fixture.store.claimNext(generation: 1) { _ in
            ("legacy", .publish(.init(request: definition, bytecode: bytecode, costBound: nil)))
        }
        try await fixture.application().test(.router) { client in
            let decided = try await client.post("/v1/decide", #"{"predicate": "big_spender", "input": {"amount": 5000, "customer": {"tier": "gold"}}}"#)
            #expect(decided.status == .ok)
            #expect(decided.body.hasPrefix(#"{"predicate":"big_spender","version":1,"decision":true,"#))
            // `amount` is bound as a double, as declared: a string is the caller's error, not a failed comparison.
            let refused = try await client.post("/v1/decide", #"{"predicate": "big_spender", "input": {"amount": "5000", "customer": {}}}"#)
            #expect(refused.status == .unprocessableContent && errorCode(refused.body) == "invalid_input", "\(refused.body)")
        }
        await fixture.store.close()
    }
}
