import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, waited for with `waitpid`. Foundation's
/// `Process.waitUntilExit` can miss the exit of a child that leaves a daemon behind
/// (`pg_ctl start`), and the crash tests need plain PIDs to SIGKILL.
public struct ChildProcess: Sendable {
    public let pid: pid_t

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `executable` with `arguments` (and `environment` added to ours), standard
    /// output and error appended to `outputPath` (or discarded).
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                             outputPath: String? = nil) throws(Failure) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let target = outputPath ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))") }
        return ChildProcess(pid: pid)
    }

    /// Waits for the exit; returns the exit status, or 128 + signal when killed.
    @discardableResult
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// The exit status if the child has exited, without waiting.
    public func poll() -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// SIGKILLs and reaps the child unless it has exited: for `defer` in tests, so a failed
    /// test leaves no process behind.
    public func killIfRunning() {
        guard poll() == nil else { return }
        kill(pid, SIGKILL)
        wait()
    }

    public func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Runs to completion; returns the exit status and the combined output.
    public static func capture(_ executable: String, _ arguments: [String],
                               environment: [String: String] = [:]) throws(Failure) -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("spectral-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let child = try spawn(executable, arguments, environment: environment, outputPath: outputPath)
        let status = child.wait()
        return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    /// Runs to completion and returns the combined output; throws on a non-zero exit.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws(Failure) -> String {
        let (status, output) = try capture(executable, arguments, environment: environment)
        guard status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited with \(status): \(output)")
        }
        return output
    }
}
