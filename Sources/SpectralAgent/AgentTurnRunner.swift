import Logging
import Spectral
import SpectralCatalog
import SpectralJSON

/// Runs one turn of an authoring task inside the worker (`AuthoringTurnRunner`): the
/// repair loop of `AuthoringAgent`, with every finished round checkpointed in the store
/// and every step appended to the task's event stream, bounded by the task's rounds,
/// tokens and wall time, and stoppable by `DELETE`.
///
/// Resuming is reading: the conversation of the next round is the last checkpoint's sent
/// messages, its answer and the feedback on it, so a turn killed while the model answered
/// round 2 asks for round 2 again and never for round 1.
public struct AgentTurnRunner: AuthoringTurnRunner {
    let store: any AuthoringTaskRepository
    let client: ChatCompletionClient
    let validator: PredicateValidator
    let logger: Logger
    /// How often a running round looks for a cancellation.
    let cancelCheckInterval: Duration

    public init(store: any AuthoringTaskRepository, client: ChatCompletionClient, validator: PredicateValidator = PredicateValidator(),
                logger: Logger, cancelCheckInterval: Duration = .seconds(1)) {
        self.store = store
        self.client = client
        self.validator = validator
        self.logger = logger
        self.cancelCheckInterval = cancelCheckInterval
    }

    public func run(taskID: String, turn: Int) async throws -> HandlerEffect {
        guard let task = try await store.authoringTask(id: taskID), task.turn == turn,
              task.status == .queued || task.status == .running else { return .none }
        func finish(_ status: AuthoringTaskStatus, _ detail: String) -> HandlerEffect {
            .finishAuthoring(taskID: taskID, turn: turn, status: status, detail: detail)
        }
        if task.cancelRequested { return finish(.cancelled, "cancelled") }
        let request: AuthoringTaskRequest
        do { request = try AuthoringTaskRequest(jsonText: task.request) } catch {
            return finish(.failed, "the stored task no longer parses: \(error.message)")
        }
        if task.status != .running { try await store.setAuthoringStatus(id: taskID, .running, detail: nil) }

        let checkpoints = try await store.authoringCheckpoints(taskID: taskID)
        let done = checkpoints.filter { $0.turn == turn }
        if let last = done.last, AuthoringDiagnostic.list(jsonText: last.diagnostics).isEmpty, let source = last.expression {
            // Accepted before the worker died, not yet submitted.
            return .submitAuthored(taskID: taskID, turn: turn, definition: request.definition(source: source, author: author))
        }
        guard var conversation = try await conversation(resuming: done, before: checkpoints.filter { $0.turn < turn },
                                                        request: request, taskID: taskID, turn: turn) else {
            return finish(.failed, "the stored conversation no longer parses")
        }
        var usage = done.reduce(TokenUsage()) { $0 + TokenUsage(promptTokens: $1.promptTokens, completionTokens: $1.completionTokens) }
        let deadline = ContinuousClock.now + .seconds(request.maxSeconds)
        let agent = AuthoringAgent(client: client, maxRounds: request.rounds, validator: validator, logger: logger)
        let agentTask = request.agentTask
        let declared = agentTask.declarations.compactMapValues { try? InputDeclaration.parse($0) }

        for number in stride(from: done.count + 1, through: request.rounds, by: 1) {
            if usage.totalTokens >= request.maxTokens {
                return finish(.failed, "the token budget of \(request.maxTokens) is used up (\(usage.totalTokens) after \(number - 1) round(s)); the transcript is kept")
            }
            try await event(taskID, turn, .roundStarted, [("round", int(number)), ("max_rounds", int(request.rounds))])
            let relay = DeltaRelay(store: store, taskID: taskID, turn: turn, round: number)
            let answer: RoundAnswer = await ask(conversation, relay: relay, taskID: taskID, deadline: deadline)
            // Cancelled (the lane lost the lease or is stopping): whatever the model call
            // ended with is not the task's outcome; the next claim resumes the round.
            try Task.checkCancellation()
            try await relay.flush()
            let completion: ChatCompletion
            switch answer {
            case .answered(let answered): completion = answered
            case .cancelled: return finish(.cancelled, "cancelled during round \(number)")
            case .outOfTime: return finish(.failed, "the time budget of \(request.maxSeconds) s ran out during round \(number); the transcript is kept")
            case .failed(let error): return finish(.failed, "the model could not be asked in round \(number): \(error)")
            }
            usage = usage + completion.usage
            let round = agent.review(completion.content, number: number, task: agentTask, declared: declared)
            try await store.saveAuthoringCheckpoint(AuthoringCheckpoint(
                taskID: taskID, turn: turn, round: number, sent: ChatMessage.listJSON(conversation), answer: completion.content,
                promptTokens: completion.usage.promptTokens, completionTokens: completion.usage.completionTokens,
                expression: round.expression, diagnostics: AuthoringDiagnostic.listJSON(round.diagnostics)))
            var report: [(String, JSONValue)] = [("round", int(number))]
            if let expression = round.expression { report.append(("expression", .string(expression))) }
            // Each with `rendered`, the text Spectral shows (the caret under the source) where it has one.
            report.append(("diagnostics", .array(round.diagnostics.map(\.jsonValue))))
            try await event(taskID, turn, .diagnostics, report)
            if round.diagnostics.isEmpty, let source = round.expression {
                try await event(taskID, turn, .accepted, [("round", int(number)), ("expression", .string(source))])
                return .submitAuthored(taskID: taskID, turn: turn, definition: request.definition(source: source, author: author))
            }
            conversation.append(ChatMessage(.assistant, completion.content))
            conversation.append(ChatMessage(.user, AuthoringPrompt.feedback(round.diagnostics, examples: agentTask.examples)))
        }
        return finish(.failed, "no acceptable predicate after \(request.rounds) round(s); the transcript is kept")
    }

    private var author: String { "agent (\(client.configuration.model))" }

    /// The messages to send next: after the turn's last checkpoint (its answer and the
    /// feedback on it), or, for a new turn, after the previous turn's last answer and the
    /// follow-up message; nil when a stored conversation does not parse.
    private func conversation(resuming done: [AuthoringCheckpoint], before earlier: [AuthoringCheckpoint],
                              request: AuthoringTaskRequest, taskID: String, turn: Int) async throws -> [ChatMessage]? {
        if let last = done.last {
            guard var messages = ChatMessage.list(jsonText: last.sent) else { return nil }
            messages.append(ChatMessage(.assistant, last.answer))
            messages.append(ChatMessage(.user, AuthoringPrompt.feedback(AuthoringDiagnostic.list(jsonText: last.diagnostics),
                                                                       examples: request.examples)))
            return messages
        }
        var messages = [ChatMessage(.system, AuthoringPrompt.system()), ChatMessage(.user, AuthoringPrompt.task(request.agentTask))]
        var current: String?
        if let previous = earlier.last {
            guard let sent = ChatMessage.list(jsonText: previous.sent) else { return nil }
            messages = sent + [ChatMessage(.assistant, previous.answer)]
            current = previous.expression
        }
        if turn > 1, let text = try await store.authoringMessages(taskID: taskID)[turn] {
            messages.append(ChatMessage(.user, AuthoringPrompt.followUp(text, current: current)))
        }
        return messages
    }

    private enum RoundAnswer: Sendable {
        case answered(ChatCompletion)
        case failed(LLMError)
        case cancelled
        case outOfTime
    }

    /// Streams one answer, relaying its text; ends early on `DELETE` or at the deadline.
    private func ask(_ conversation: [ChatMessage], relay: DeltaRelay, taskID: String,
                     deadline: ContinuousClock.Instant) async -> RoundAnswer {
        await withTaskGroup(of: RoundAnswer?.self) { group in
            group.addTask { [client] in
                do throws(LLMError) {
                    return .answered(try await client.stream(conversation) { delta in await relay.add(delta) })
                } catch {
                    return .failed(error)
                }
            }
            group.addTask { [store, cancelCheckInterval] in
                while ContinuousClock.now < deadline {
                    do { try await Task.sleep(for: min(cancelCheckInterval, deadline - ContinuousClock.now)) } catch { return nil }
                    if (try? await store.authoringTask(id: taskID))?.cancelRequested == true { return .cancelled }
                }
                return .outOfTime
            }
            while let next = await group.next() {
                if let next {
                    group.cancelAll()
                    return next
                }
            }
            return .cancelled
        }
    }

    private func event(_ taskID: String, _ turn: Int, _ kind: AuthoringEventKind, _ members: [(String, JSONValue)]) async throws {
        try await store.appendAuthoringEvent(taskID: taskID, turn: turn, kind: kind, data: JSONValue.object(members).serialized())
    }

    private func int(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
}

extension AuthoringTaskRequest {
    /// The agent's view of the task (the prompt is built from it).
    var agentTask: AuthoringTask {
        AuthoringTask(name: name, intent: intent, declarations: declarations, examples: examples, description: description)
    }
}
