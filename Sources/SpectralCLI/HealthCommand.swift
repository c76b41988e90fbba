import ArgumentParser
import AsyncHTTPClient
import NIOCore
import SpectralAgent

/// `spectral health`: asks a running API for `/health` and exits 0 when it answers 200,
/// 1 otherwise. The container image's HEALTHCHECK runs it, so the runtime image needs no
/// curl; deploy scripts can use it too. The answer's body goes to standard output (a
/// container engine keeps the last lines of a health check's output for `inspect`).
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Probe a running API's /health: exit 0 when it answers 200, 1 otherwise.",
        discussion: "For container health checks: the default URL is this host's API on $SPECTRAL_PORT (else 8080)."
    )

    @Option(help: ArgumentHelp("The URL to probe (default: http://127.0.0.1:$SPECTRAL_PORT/health).", valueName: "url"))
    var url: String?
    @Option(help: ArgumentHelp("Seconds to wait for the whole answer.", valueName: "s")) var timeout = 5.0
    @Flag(help: "Print nothing; only the exit code tells.") var quiet = false

    func run() async throws {
        let target = try url ?? "http://127.0.0.1:\(Settings.process.integer(.port, as: Int.self) ?? 8080)/health"
        var request = HTTPClientRequest(url: target)
        request.method = .GET
        do {
            // The agent's client: no redirects followed, no retried connections, so a refused
            // port fails at once instead of after the timeout.
            let response = try await AgentHTTPClient.shared.execute(request, timeout: .milliseconds(Int64(max(0.01, timeout) * 1000)))
            let body = try await response.body.collect(upTo: 1 << 16)
            if !quiet { print(String(buffer: body)) }
            guard response.status == .ok else {
                if !quiet { printError("spectral health: \(target) answered \(response.status.code)") }
                throw ExitCode.failure
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            if !quiet { printError("spectral health: \(target): \(error)") }
            throw ExitCode.failure
        }
    }
}
