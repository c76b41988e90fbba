import ArgumentParser
import Foundation
import SpectralAgent
import SpectralCatalog
import SpectralJSON

extension AuthorCommand {
    /// `--server` with no model configured here: the task is posted to the server's API and
    /// its agent (in the server's workers) writes the predicate, round by round, printed as
    /// it goes. The wait is the task's own `max_seconds` (the agent's time) plus `--wait`
    /// (the publishing worker's). The key is `SPECTRAL_API_KEY`, as for submitting: a key on
    /// the command line would show in every process listing.
    func authorRemotely(_ authoringTask: AuthoringTask, server: String) async throws {
        let json: JSONValue
        if let task {
            // The file as written (it may set max_tokens, max_seconds, activation, mask):
            // the server checks it whole.
            json = try JSONValue.parse(try readFile(task))
        } else {
            json = AuthoringTaskRequest(name: authoringTask.name, intent: authoringTask.intent, declarations: authoringTask.declarations,
                                        examples: authoringTask.examples, description: authoringTask.description, rounds: rounds).jsonValue
        }
        let seconds = Double(json["max_seconds"]?.int64Value ?? 300) + wait
        let remote = RemoteAuthoring(baseURL: server, apiKey: Settings.process.string(.apiKey))
        switch try await remote.run(json, deadline: .now + .milliseconds(Int64(seconds * 1000))) {
        case .verdict(let verdict):
            guard verdict == AuthoringTaskStatus.published.rawValue else { throw ExitCode.failure }
        case .refused(let status, let code, let message):
            printError("error: \(RemoteAuthoring.printable(message))")
            if status == 400 || status == 422 { throw ExitCodes.compileError }
            if code == "authoring_agent_off" { throw ExitCodes.configuration }
            throw ExitCode.failure
        case .pending(let id):
            printError("task \(id) has no verdict after \(Int(seconds)) s: GET \(server)/v1/authoring/tasks/\(id) tells later")
            throw ExitCodes.pending
        }
    }
}
