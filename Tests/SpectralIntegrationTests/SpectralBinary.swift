import Foundation
import SpectralTestSupport

/// The `spectral` executable of this build (this target depends on SpectralCLI, so building
/// the tests builds it), run as a child process the way an operator runs it.
enum SpectralBinary {
    static var path: String {
        get throws { try SpectralExecutable.path }
    }

    /// Starts `spectral work` on `databaseURL`, logging JSON lines to `logPath`.
    static func startWorker(databaseURL: String, generation: Int64 = 1, pollMilliseconds: Int = 100,
                            extraArguments: [String] = [], logPath: String) throws -> ChildProcess {
        try ChildProcess.spawn(path, ["work", "--database-url", databaseURL, "--generation", String(generation),
                                      "--poll-interval", String(pollMilliseconds)] + extraArguments,
                               environment: ["SPECTRAL_LOG_FORMAT": "json"], outputPath: logPath)
    }

    /// Event ids a worker's JSON log says it handled.
    static func handledEventIDs(logPath: String) -> [Int64] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line -> Int64? in
            guard line.contains("\"msg\":\"event handled\""), let range = line.range(of: "\"event_id\":\"") else { return nil }
            return Int64(line[range.upperBound...].prefix { $0.isNumber })
        }
    }

    /// Waits until `logPath` shows `count` worker start-ups: signals sent earlier would meet
    /// the default handlers, before the service group installs its own.
    static func waitForStartups(_ count: Int, logPath: String) async throws {
        try await waitUntil(timeout: .seconds(30)) {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            return text.components(separatedBy: "\"msg\":\"worker started\"").count - 1 >= count
        }
    }

    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("spectral-\(UUID().uuidString)-\(name)").path
    }
}
