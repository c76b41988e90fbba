import Foundation
import Testing

/// Replays every fuzz finding (Fixtures/fuzz/<target>/) and seed (infra/fuzz/corpus/<target>/)
/// through the same per-input harness the libFuzzer targets run (FuzzSupport/ links to
/// infra/fuzz/Sources/FuzzHarness). A broken invariant is an issue; an engine crash
/// crashes the test, as it crashed the fuzzer.
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func files(_ target: String) -> [URL] {
        ["Fixtures/fuzz", "infra/fuzz/corpus"].flatMap { base -> [URL] in
            let directory = root.appendingPathComponent(base).appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.sorted().filter { !$0.hasPrefix(".") }.map { directory.appendingPathComponent($0) }
        }
    }

    @Test(arguments: FuzzHarness.targets)
    func replay(target: String) throws {
        let inputs = Self.files(target)
        #expect(!inputs.isEmpty, "no corpus for fuzz target \(target)")
        for file in inputs {
            let bytes = [UInt8](try Data(contentsOf: file))
            let name = file.path.replacingOccurrences(of: Self.root.path + "/", with: "")
            FuzzHarness.$findingHandler.withValue({ message in
                Issue.record("\(name): \(message)")
            }) {
                FuzzHarness.run(target, bytes)
            }
        }
    }
}
