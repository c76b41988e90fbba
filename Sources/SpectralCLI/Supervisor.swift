import Dispatch
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Runs sibling child processes (this executable with other arguments), restarts one that
/// exits unasked with a doubling backoff (reset after a minute of running), forwards
/// SIGTERM and SIGINT to all, and returns once all have exited (SIGKILL after the grace
/// period).
final class Supervisor: @unchecked Sendable {
    struct Child {
        let name: String
        let arguments: [String]
        var pid: pid_t = 0
        var started = ContinuousClock.now
        var backoff: Duration = .seconds(1)
        var restartAt: ContinuousClock.Instant?
    }

    private var children: [Child]
    private let logger: Logger
    private let gracePeriod: Duration
    /// Set from the signal source's queue, read by the supervising loop.
    private let stopSignal = DispatchSemaphore(value: 0)
    private var receivedSignal: Int32 = 0
    /// A child that exited because it cannot start as configured: restarting cannot help.
    private(set) var configurationFailure: String?
    private var sources: [any DispatchSourceSignal] = []

    init(children: [(name: String, arguments: [String])], gracePeriod: Duration, logger: Logger) {
        self.children = children.map { Child(name: $0.name, arguments: $0.arguments) }
        self.gracePeriod = gracePeriod
        self.logger = logger
    }

    func run() async throws {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                receivedSignal = signalNumber
                stopSignal.signal()
            }
            source.resume()
            sources.append(source)
        }
        for index in children.indices { try start(index) }
        while stopSignal.wait(timeout: .now()) == .timedOut, configurationFailure == nil {
            reapAndRestart()
            try await Task.sleep(for: .milliseconds(100))
        }
        if configurationFailure != nil { receivedSignal = SIGTERM }
        logger.info("stopping children", metadata: ["signal": "\(receivedSignal)"])
        for child in children where child.pid > 0 { kill(child.pid, receivedSignal) }
        let deadline = ContinuousClock.now + gracePeriod
        while children.contains(where: { $0.pid > 0 }) {
            for index in children.indices where children[index].pid > 0 {
                var status: Int32 = 0
                if waitpid(children[index].pid, &status, WNOHANG) == children[index].pid { children[index].pid = 0 }
            }
            if ContinuousClock.now > deadline {
                for child in children where child.pid > 0 { kill(child.pid, SIGKILL) }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        logger.info("all children stopped")
    }

    private func start(_ index: Int) throws {
        let executable = "/proc/self/exe"
        let argv = ([CommandLine.arguments[0]] + children[index].arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, nil, nil, argv, environ)
        guard status == 0 else { throw SupervisorError(message: "cannot start \(children[index].name): \(String(cString: strerror(status)))") }
        children[index].pid = pid
        children[index].started = .now
        children[index].restartAt = nil
        logger.info("started", metadata: ["child": "\(children[index].name)", "pid": "\(pid)"])
    }

    private func reapAndRestart() {
        for index in children.indices {
            if children[index].pid > 0 {
                var status: Int32 = 0
                guard waitpid(children[index].pid, &status, WNOHANG) == children[index].pid else { continue }
                children[index].pid = 0
                if Self.exitCode(status) == ExitCodes.configuration.rawValue {
                    configurationFailure = "\(children[index].name) cannot start as configured (exit \(ExitCodes.configuration.rawValue))"
                    logger.error("child cannot start as configured; stopping", metadata: ["child": "\(children[index].name)"])
                    return
                }
                if ContinuousClock.now - children[index].started > .seconds(60) { children[index].backoff = .seconds(1) }
                logger.error("child exited; restarting", metadata: [
                    "child": "\(children[index].name)", "status": "\(status)", "restart_in": "\(children[index].backoff)",
                ])
                children[index].restartAt = .now + children[index].backoff
                children[index].backoff = min(children[index].backoff * 2, .seconds(30))
            } else if let at = children[index].restartAt, ContinuousClock.now >= at {
                do { try start(index) } catch {
                    logger.error("restart failed", metadata: ["child": "\(children[index].name)", "error": "\(error)"])
                    children[index].restartAt = .now + children[index].backoff
                }
            }
        }
    }
}

extension Supervisor {
    /// The exit code of a `waitpid` status, nil when the child was killed by a signal.
    static func exitCode(_ status: Int32) -> Int32? {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }
}

struct SupervisorError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
