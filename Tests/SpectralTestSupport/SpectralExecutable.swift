import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `spectral` executable of the build these tests belong to.
///
/// Every test target that runs it depends on the `SpectralCLI` target (Package.swift), so
/// SwiftPM builds the executable whenever it builds the tests, into the same directory as
/// the test bundle: `.build/<triple>/<configuration>/spectral` beside
/// `SpectralPackageTests.xctest`. Looking there, rather than at a fixed `.build/debug`,
/// means a test can never run a binary from another build or configuration.
public enum SpectralExecutable {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// The executable's path; throws `Missing` (failing the calling test with the reason)
    /// when it is not beside the test bundle.
    public static var path: String {
        get throws(Missing) { try located.get() }
    }

    private static let located: Result<String, Missing> = {
        guard let directory = testBundleDirectory() else {
            return .failure(Missing(description: "cannot tell where the running test bundle is, so cannot find the spectral executable"))
        }
        let candidate = directory + "/spectral"
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            return .failure(Missing(description: """
                no spectral executable at \(candidate), beside the test bundle: the test target must depend on \
                the SpectralCLI target (Package.swift) so that building the tests builds it
                """))
        }
        return .success(candidate)
    }()

    /// The build directory holding the test bundle. On Linux `swift test` runs the bundle
    /// itself (`.build/<triple>/debug/SpectralPackageTests.xctest` is an executable), so it
    /// is the directory of `/proc/self/exe`. On macOS the bundle is a directory loaded into a
    /// runner (`xctest`, `swiftpm-testing-helper`): it is the directory above the
    /// `.xctest` that contains this code.
    static func testBundleDirectory() -> String? {
        #if os(Linux)
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return (executable as NSString).deletingLastPathComponent
        #else
        var info = Dl_info()
        guard dladdr(#dsohandle, &info) != 0, let name = info.dli_fname else { return nil }
        var path = URL(fileURLWithPath: String(cString: name)).resolvingSymlinksInPath()
        while path.pathComponents.count > 1 {
            if path.pathExtension == "xctest" { return path.deletingLastPathComponent().path }
            path.deleteLastPathComponent()
        }
        return nil
        #endif
    }
}
