// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Spectral, kept out of the main package so its build stays normal.
// `spectral` is a symlink to the repository root (a plain "../.." would take the identity of
// whatever the checkout directory is called, which may clash with this package's own).
// Build: see run.sh (swift build -c release -Xswiftc -sanitize=fuzzer,address ...).
// The per-input harness code (FuzzHarness) is shared with the main package's replay test
// (Tests/SpectralTests/FuzzSupport links to these files).
let package = Package(
    name: "SpectralFuzz",
    dependencies: [.package(path: "spectral")],
    targets: [
        .target(name: "FuzzHarness", dependencies: [.product(name: "Spectral", package: "spectral")]),
        .executableTarget(name: "FuzzSource", dependencies: ["FuzzHarness"]),
        .executableTarget(name: "FuzzBytecode", dependencies: ["FuzzHarness"]),
        .executableTarget(name: "FuzzDifferential", dependencies: ["FuzzHarness"]),
        .executableTarget(name: "FuzzInput", dependencies: ["FuzzHarness"]),
        // Wall time per fuel unit over generated programs and inputs (issue 14).
        .executableTarget(name: "FuzzFuelTime", dependencies: ["FuzzHarness"]),
    ]
)
