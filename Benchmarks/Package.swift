// swift-tools-version: 6.1
import PackageDescription

// The engine is the package one directory up. SwiftPM names a path dependency after its
// directory (a clone may be called anything), so derive that identity here.
let engine = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "spectral").lowercased()

let package = Package(
    name: "SpectralBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The workload, its native equivalents and the input convention, shared by the benchmarks.
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "Spectral", package: engine)],
            path: "Sources/BenchSupport"
        ),
        // ordo-one benchmarks: evaluation, native floor, metering, binding, compilation, mallocs.
        .executableTarget(
            name: "SpectralBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Spectral", package: engine),
                .product(name: "SpectralCatalog", package: engine),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SpectralBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // What one unit of fuel costs (Benchmarks/calibrate.sh): ns per unit for every builtin
        // and operator at small and maximal inputs; fails when the worst is over 10× the median.
        .executableTarget(
            name: "SpectralCalibrate",
            dependencies: [.product(name: "Spectral", package: engine)],
            path: "Sources/SpectralCalibrate"
        ),
        // One predicate's decide path in a loop, for callgrind and perf (see its main.swift).
        .executableTarget(
            name: "SpectralProfile",
            dependencies: ["BenchSupport", .product(name: "Spectral", package: engine)],
            path: "Sources/SpectralProfile"
        ),
        // Loading 10,000 compiled predicates: time and resident memory (a plain executable,
        // since it measures a process's resident set once rather than a repeated operation).
        .executableTarget(
            name: "SpectralLoad",
            dependencies: ["BenchSupport", .product(name: "Spectral", package: engine)],
            path: "Sources/SpectralLoad"
        ),
    ]
)
