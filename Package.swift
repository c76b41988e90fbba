// swift-tools-version: 6.1
import PackageDescription

// Dependencies point down only: the engine core (Syntax, Bytecode, Regex, Time, JSON,
// Compiler, VM, and the `Spectral` facade) builds on the standard library alone.
// Only the executable pulls in packages.
let package = Package(
    name: "Spectral",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Spectral", targets: ["Spectral"]),
        // The publishing domain, for the benchmarks of the impact replay.
        .library(name: "SpectralCatalog", targets: ["SpectralCatalog"]),
        .executable(name: "spectral", targets: ["SpectralCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already required by postgres-nio (SCRAM); the store uses its SHA-256 for migration checksums.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // Already required by HummingbirdTesting; the authoring agent's LLM client and submitter.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already required by Hummingbird: configuration from the environment (`Settings`).
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: []),
        // Already required by Hummingbird: the metrics API the HTTP front records through.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // The Prometheus backend for it: histograms, counters, gauges and the text exposition
        // (one small target over swift-atomics, which swift-nio already brings).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // JWT verification (JWKS, ES256/RS256, claims) instead of our own. Brings swift-extras-base64;
        // its swift-crypto, swift-certificates and swift-log are already in the graph.
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
    ],
    targets: [
        // Leaves: no dependencies at all.
        .target(name: "SpectralSyntax"),
        .target(name: "SpectralBytecode"),
        .target(name: "SpectralRegex"),
        .target(name: "SpectralTime"),
        .target(name: "SpectralJSON"),
        // Engine.
        // JSON (a leaf) for declarations written as JSON Schema.
        .target(name: "SpectralCompiler", dependencies: ["SpectralSyntax", "SpectralBytecode", "SpectralRegex", "SpectralJSON"]),
        .target(name: "SpectralVM", dependencies: ["SpectralBytecode", "SpectralRegex", "SpectralTime", "SpectralJSON"]),
        .target(name: "Spectral", dependencies: ["SpectralSyntax", "SpectralBytecode", "SpectralCompiler", "SpectralVM", "SpectralJSON", "SpectralTime"]),
        // CEL's conformance suite runner, shared by the CLI and the test target.
        // Inputs generated from declarations (JSON Schema edges included): the agent's degeneracy
        // checks and the worker's findings and impact comparison.
        .target(name: "SpectralSampling", dependencies: ["Spectral", "SpectralJSON"]),
        .target(name: "SpectralConformance", dependencies: ["Spectral", "SpectralJSON", "SpectralTime"]),
        // The publishing domain: predicate definitions, tests, diagnostics, the validator,
        // published versions, typed outbox messages, API keys, and the narrow repository
        // protocols that stores implement and everything above them depends on.
        .target(
            name: "SpectralCatalog",
            dependencies: [
                "Spectral", "SpectralJSON", "SpectralSampling",
                // Key hashing (SHA-256); already in the graph through postgres-nio.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The predicate store and the transactional outbox: SQLite (GRDB) and PostgreSQL (PostgresNIO).
        .target(
            name: "SpectralStore",
            dependencies: [
                "SpectralCatalog", "Spectral", "SpectralJSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, which GRDB is built on: the decision log binds its rows through it.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                // A store is a Service: its connection pool runs in the process's ServiceGroup.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The SQL migrations, compiled in (see Migration+Files.swift).
            resources: [.embedInCode("Migrations")]
        ),
        // The outbox worker: a ServiceLifecycle service around a pure state machine.
        .target(
            name: "SpectralWorker",
            dependencies: [
                "SpectralCatalog", "SpectralJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The authoring agent: an OpenAI-compatible client, the prompt, the repair loop, submission.
        .target(
            name: "SpectralAgent",
            dependencies: [
                "SpectralCatalog", "Spectral", "SpectralJSON", "SpectralSampling",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Compiled in, so the binary is all a deployment copies.
            resources: [.embedInCode("Grammar")]
        ),
        // Executable.
        .executableTarget(
            name: "SpectralCLI",
            dependencies: [
                "Spectral", "SpectralConformance", "SpectralJSON", "SpectralCatalog", "SpectralStore", "SpectralWorker", "SpectralHTTP", "SpectralAgent", "SpectralTime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // Already in the graph through Hummingbird: the environment read once, flags over it.
                .product(name: "Configuration", package: "swift-configuration"),
                // Already in the graph through SpectralAgent: `spectral health` (the container's HEALTHCHECK).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The HTTP front (Hummingbird 2): decide, authoring intake, predicates, health, metrics.
        .target(
            name: "SpectralHTTP",
            dependencies: [
                "Spectral", "SpectralCatalog", "SpectralJSON", "SpectralTime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            // The OpenAPI document served at /openapi.json, exactly as committed; the
            // console's hand-written HTML, CSS and JavaScript modules served at /console/.
            resources: [.embedInCode("openapi.json"), .embedInCode("Console")]
        ),
        // The outbox figures (Benchmarks/outbox.sh): throughput and commit-to-visible latency.
        .executableTarget(
            name: "SpectralOutboxLoad",
            dependencies: ["SpectralCatalog", "SpectralStore", "SpectralWorker", "SpectralTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        // Tests (Swift Testing). Test support: a real PostgreSQL server started by the test process.
        .target(name: "SpectralTestSupport", path: "Tests/SpectralTestSupport"),
        .testTarget(name: "SpectralSyntaxTests", dependencies: ["SpectralSyntax"]),
        .testTarget(name: "SpectralBytecodeTests", dependencies: ["SpectralBytecode"]),
        .testTarget(name: "SpectralRegexTests", dependencies: ["SpectralRegex"]),
        .testTarget(name: "SpectralTimeTests", dependencies: ["SpectralTime"]),
        .testTarget(name: "SpectralJSONTests", dependencies: ["SpectralJSON", "SpectralTestSupport"]),
        // The VM only for its library table, which the checker is handed (as the facade does).
        .testTarget(name: "SpectralCompilerTests", dependencies: ["SpectralCompiler", "SpectralVM"]),
        .testTarget(name: "SpectralVMTests", dependencies: ["SpectralVM", "Spectral", "SpectralSampling", "SpectralTestSupport"]),
        // Test targets that run the `spectral` executable depend on SpectralCLI, so SwiftPM
        // builds it with them; SpectralTestSupport's `SpectralExecutable` finds it beside the
        // test bundle.
        .testTarget(name: "SpectralTests", dependencies: ["Spectral", "SpectralCLI", "SpectralTestSupport"]),
        .testTarget(name: "SpectralConformanceTests", dependencies: ["SpectralConformance"]),
        .testTarget(name: "SpectralCatalogTests", dependencies: ["SpectralCatalog", "SpectralSampling"]),
        .testTarget(name: "SpectralStoreTests", dependencies: ["SpectralCatalog", "SpectralStore", "SpectralWorker", "SpectralTestSupport"]),
        .testTarget(name: "SpectralWorkerTests", dependencies: ["SpectralCatalog", "SpectralWorker", "SpectralStore", "SpectralTestSupport"]),
        .testTarget(
            name: "SpectralHTTPTests",
            dependencies: ["SpectralHTTP", "SpectralCatalog", "SpectralStore", "SpectralWorker", "SpectralTestSupport",
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")]
        ),
        // The agent against a scripted OpenAI-compatible server on loopback (no model is reachable here).
        .testTarget(
            name: "SpectralAgentTests",
            dependencies: ["SpectralAgent", "SpectralSampling", "SpectralCatalog", "SpectralHTTP", "SpectralStore", "SpectralWorker", "SpectralTestSupport", "SpectralCLI",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        // Process-level tests: `spectral work` as a child process, SIGKILLed, its database restarted.
        .testTarget(
            name: "SpectralIntegrationTests",
            dependencies: ["SpectralCatalog", "SpectralStore", "SpectralTestSupport", "SpectralCLI", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
