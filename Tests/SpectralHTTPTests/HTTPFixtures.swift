import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Spectral
import SpectralCatalog
import SpectralHTTP
import SpectralStore
import SpectralTestSupport
import SpectralWorker

/// A migrated store on fresh storage, with predicates published the way the worker does.
struct HTTPFixture {
    let store: any Store
    let logger: Logger

    static func make(_ backend: TestBackend) async throws -> HTTPFixture {
        var logger = Logger(label: "http-test")
        logger.logLevel = .error
        let url = try await offThePool { try backend.freshDatabaseURL() }
        let store = try await StoreLocation(url: url).openRunning(logger: logger)
        _ = try await store.migrate()
        return HTTPFixture(store: store, logger: logger)
    }

    /// Submits and handles one predicate now; returns its status.
    @discardableResult
    func publish(_ name: String, _ source: String, declarations: [String: String] = [:], activate: Bool = true) async throws -> EventStatus {
        let request = PredicateDefinition(name: name, source: source, declarations: declarations, activate: activate)
        let id = try await store.submit(.predicateAuthored(request), generation: 1)
        let handler = PredicateAuthoredHandler()
        _ = try await store.claimNext(generation: 1) { event in (handler.name, try handler.handle(event)) }
        return try await store.status(ofEvent: id)
    }

    /// Authentication off unless the test is about it.
    func application(_ configuration: ServerConfiguration = ServerConfiguration(port: 0, authentication: .off)) -> some ApplicationProtocol {
        buildApplication(configuration: configuration, store: store, logger: logger)
    }
}

extension TestClientProtocol {
    /// POSTs JSON text; returns the status and the body as text.
    func post(_ uri: String, _ json: String) async throws -> (status: HTTPResponse.Status, body: String) {
        try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json)) {
            ($0.status, String(buffer: $0.body))
        }
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, body: String) {
        try await execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
    }
}

/// An error body with only its `error` member: a failed decision's answer also carries its
/// `fuel_used` and a fresh `decision_id`, which tests comparing the error check on their own.
func errorOnly(_ body: String) -> String {
    guard let error = (try? JSONValue.parse(body))?["error"] else { return body }
    return JSONValue.object([("error", error)]).serialized()
}

/// The `error.code` of an error body.
func errorCode(_ body: String) -> String? {
    (try? JSONValue.parse(body))?["error"]?["code"]?.stringValue
}

extension StoreLocation {
    /// Opens the store and runs it in a task of its own until `close()` ends it: for tests
    /// that hold several stores, or make one in a fixture and close it at the end, where a
    /// scope (`withStore`, `whileRunning`) does not fit.
    func openRunning(logger: Logger) async throws -> any Store {
        let store = try await open(logger: logger)
        Task { try? await store.run() }
        return store
    }
}
