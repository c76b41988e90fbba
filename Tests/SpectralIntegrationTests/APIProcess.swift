import Foundation
import SpectralTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `spectral serve` as an operator runs it, on a free port, for the process-level tests of
/// the decision log; and a minimal client that decides and returns the decision's id.
struct APIProcess {
    let child: ChildProcess
    let port: Int
    let logPath: String

    /// Starts `spectral serve --demo` with `arguments` on `databaseURL`, once `/health` answers.
    static func start(databaseURL: String, generation: Int64, arguments: [String]) async throws -> APIProcess {
        let logPath = SpectralBinary.temporaryFile("serve-\(generation).log")
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<32_000)
            let child = try ChildProcess.spawn(try SpectralBinary.path, ["serve", "--demo", "--port", String(port), "--database-url", databaseURL,
                                                                         "--generation", String(generation)] + arguments,
                                               outputPath: logPath)
            let health = Array("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
            for _ in 0..<300 where child.poll() == nil {
                if (try? RawHTTPClient(port: port, timeoutSeconds: 1).exchange(health))?.hasPrefix("HTTP/1.1 200") == true {
                    return APIProcess(child: child, port: port, logPath: logPath)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            child.killIfRunning()  // the port was taken (it exited) or it never answered: try another
        }
        throw RawHTTPClient.Failure(description: "spectral serve did not start; see \(logPath)")
    }

    /// One decision on its own connection (blocking): the `decision_id` the answer carried;
    /// nil when the answer had none; throws when the server could not be reached or closed
    /// before answering (it was killed).
    func decide(_ body: String) throws -> String? {
        let request = RawHTTPClient.post("/v1/decide", body: Array(body.utf8), headers: ["Connection: close"])
        let answer = try RawHTTPClient(port: port, timeoutSeconds: 5).exchange(request)
        guard answer.hasPrefix("HTTP/1.1 "), let range = answer.range(of: "\r\n\r\n") else {
            throw RawHTTPClient.Failure(description: "no complete answer: \(answer.prefix(80))")
        }
        return DecisionIDText.removed(from: String(answer[range.upperBound...])).id
    }

    /// `GET path`'s body.
    func get(_ path: String) throws -> String {
        let answer = try RawHTTPClient(port: port, timeoutSeconds: 5)
            .exchange(Array("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        return answer.range(of: "\r\n\r\n").map { String(answer[$0.upperBound...]) } ?? answer
    }
}
