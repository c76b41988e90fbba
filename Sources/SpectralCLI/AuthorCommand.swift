import ArgumentParser
import Spectral
import SpectralAgent
import SpectralCatalog
import SpectralStore

struct AuthorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "author",
        abstract: "Have the LLM write a predicate: ask, check, run the examples, feed the diagnostics back, submit, print the verdict.",
        discussion: """
        The task comes from flags or from --task FILE ({"name", "intent", "declarations", "examples"}). \
        The model is any OpenAI-compatible endpoint: SPECTRAL_LLM_BASE_URL, SPECTRAL_LLM_API_KEY, SPECTRAL_LLM_MODEL. \
        The accepted expression is submitted with the examples as its tests, through a server (--server, with \
        SPECTRAL_API_KEY holding a key with the author scope) or, by default, straight to the store's outbox; \
        then the worker's verdict is awaited and printed. \
        With --server and no model configured here, the server's agent authors it: the task is posted to \
        /v1/authoring/tasks and its rounds are printed as they come, until the verdict.
        Exit status: 0 published, 1 not authored or rejected, 2 invalid task, 3 still pending after --wait, \
        78 no model configured (here, or on the server).
        """
    )

    @Option(help: ArgumentHelp("A JSON file holding the whole task.", valueName: "file")) var task: String?
    @Option(help: "Predicate name.") var name: String?
    @Option(help: "What the predicate decides, in plain language.") var intent: String?
    @OptionGroup var declarations: DeclarationOptions
    @Option(name: .customLong("example"), help: ArgumentHelp("An example case: an input object, '=>', the decision. E.g. '{\"age\": 20} => true'.", valueName: "INPUT=>DECISION"))
    var examples: [String] = []
    @Option(help: "Most rounds of asking and repairing.") var rounds = 5
    @OptionGroup var llm: LLMOptions
    @Option(help: "Submit through this Spectral server (e.g. http://127.0.0.1:8080) instead of the store.") var server: String?
    @OptionGroup var store: StoreOptions
    @Option(help: "Seconds to wait for the worker's verdict.") var wait: Double = 60
    @Flag(help: "Stop after authoring: print the expression, submit nothing.") var noSubmit = false

    func run() async throws {
        LogSetup.bootstrap()
        let logger = LogSetup.logger("author")
        let authoringTask: AuthoringTask
        do {
            authoringTask = try makeTask()
        } catch let error as ValidationError {
            printError("error: invalid task: \(error.message)")
            throw ExitCodes.compileError
        }
        guard let configuration = llm.configuration else {
            // No model here: a server's own agent can author it (the task goes to its API).
            if let server { return try await authorRemotely(authoringTask, server: server) }
            printError("error: no model configured: set SPECTRAL_LLM_BASE_URL (and SPECTRAL_LLM_API_KEY, SPECTRAL_LLM_MODEL) or --llm-base-url")
            throw ExitCodes.configuration
        }
        logger.info("authoring", metadata: ["predicate": "\(authoringTask.name)", "llm": "\(configuration)"])
        let agent = AuthoringAgent(client: ChatCompletionClient(configuration: configuration, logger: logger),
                                   maxRounds: rounds, logger: logger)
        let authored: AuthoringAgent.Authored
        do {
            authored = try await agent.author(authoringTask)
        } catch {
            printError("error: \(error)")
            if case .invalidTask = error { throw ExitCodes.compileError }
            throw ExitCode.failure
        }
        printError("authored in \(authored.rounds.count) round(s), \(authored.usage.totalTokens) tokens: \(authored.source)")
        if noSubmit {
            print(authored.source)
            return
        }
        let request = authoringTask.request(source: authored.source, author: "agent:\(configuration.model)")
        if let server {
            try await submit(request, to: HTTPSubmitter(baseURL: server, apiKey: Settings.process.string(.apiKey)))
        } else {
            let generation = try store.resolvedGeneration
            try await store.withStore(logger: logger) { store in
                try await submit(request, to: StoreSubmitter(store: store, generation: generation))
            }
        }
    }

    private func submit(_ request: PredicateDefinition, to submitter: some PredicateSubmitter) async throws {
        let id = try await submitter.submit(request)
        printError("submitted as event \(id); waiting for the worker's verdict")
        guard let verdict = try await submitter.waitForVerdict(ofEvent: id, timeout: .milliseconds(Int64(wait * 1000))) else {
            printError("event \(id) is still pending after \(wait) s: is a worker running (`spectral work` or `spectral run`)? "
                + "`spectral status \(id)` tells later")
            throw ExitCodes.pending
        }
        print(verdict)
        guard case .published = verdict else { throw ExitCode.failure }
    }

    private func makeTask() throws -> AuthoringTask {
        do {
            if let task {
                guard name == nil, intent == nil, declarations.declarations.isEmpty, examples.isEmpty else {
                    throw ValidationError("--task holds the whole task: give no --name, --intent, --declare or --example with it")
                }
                return try AuthoringTask(json: try JSONValue.parse(try readFile(task)))
            }
            guard let name, let intent else { throw ValidationError("give --task FILE, or --name and --intent") }
            let declared = try declarations.texts()
            let task = AuthoringTask(name: name, intent: intent, declarations: declared, examples: try examples.map(Self.example))
            try task.validate()
            return task
        } catch let error as PredicateDefinitionError {
            throw ValidationError(error.message)
        } catch let error as JSONError {
            throw ValidationError("--task \(task ?? ""): malformed JSON: \(error)")
        }
    }

    /// `INPUT => DECISION`, split at the last `=>` (decisions are short; inputs may hold any text).
    static func example(_ text: String) throws -> PredicateTest {
        guard let arrow = text.range(of: "=>", options: .backwards) else {
            throw ValidationError("--example expects INPUT => DECISION, got '\(text)'")
        }
        do {
            let input = try JSONValue.parse(String(text[..<arrow.lowerBound]))
            guard input.objectValue != nil else { throw ValidationError("--example: the input must be a JSON object: '\(text)'") }
            return PredicateTest(input: input, expect: try JSONValue.parse(String(text[arrow.upperBound...])))
        } catch let error as JSONError {
            throw ValidationError("--example '\(text)': \(error)")
        }
    }
}
