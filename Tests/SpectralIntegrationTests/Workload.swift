import Logging
import Spectral
import SpectralCatalog
import SpectralStore

/// Submitted predicates for the process-level tests: names repeat (so version numbering is
/// exercised), every tenth source is invalid (so rejections are too), and each valid one
/// carries a test the worker runs.
enum Workload {
    static func request(_ index: Int) -> PredicateDefinition {
        let valid = index % 10 != 9
        let source = valid ? "x.n > \(index)" : "x.n > \(index) &&"
        let test = PredicateTest(input: .object([("x", .object([("n", .number(JSONNumber(Int64(index + 1))))]))]), expect: .bool(true))
        return PredicateDefinition(name: "p\(index % 50)", source: source, declarations: ["x": "map(string, int)"],
                                tests: [test], author: "integration-test")
    }

    static func isValid(_ index: Int) -> Bool { index % 10 != 9 }

    /// Submits events `range` and returns their ids in order.
    static func submit(_ range: Range<Int>, to store: any Store, generation: Int64 = 1) async throws -> [Int64] {
        var ids: [Int64] = []
        for index in range {
            ids.append(try await store.submit(.predicateAuthored(request(index)), generation: generation))
        }
        return ids
    }

    static func openStore(_ url: String) async throws -> any Store {
        var logger = Logger(label: "integration-test")
        logger.logLevel = .error
        let store = try await StoreLocation(url: url).openRunning(logger: logger)
        _ = try await store.migrate()
        return store
    }
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
