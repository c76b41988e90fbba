import Logging
import Spectral
import SpectralCatalog

/// The repair loop: ask the model for an expression, check it the way the worker will
/// (parse, type-check against the declarations, cost bound, compile, verify, run every
/// example), look for degenerate predicates, and on any problem send the exact
/// diagnostics back and ask again, up to `maxRounds` times.
///
/// Nothing here trusts the model: what it returns is text that must pass the same
/// validator the worker runs before anything is published.
public struct AuthoringAgent: Sendable {
    public let client: ChatCompletionClient
    public var maxRounds: Int
    public var validator: PredicateValidator
    let logger: Logger

    public init(client: ChatCompletionClient, maxRounds: Int = 5, validator: PredicateValidator = PredicateValidator(),
                logger: Logger) {
        self.client = client
        self.maxRounds = max(1, maxRounds)
        self.validator = validator
        self.logger = logger
    }

    /// An expression that passed every check, and how it was reached.
    public struct Authored: Sendable {
        public var source: String
        public var rounds: [AuthoringRound]
        public var usage: TokenUsage
    }

    public func author(_ task: AuthoringTask) async throws(AuthoringFailure) -> Authored {
        do { try task.validate() } catch { throw .invalidTask(error.message) }
        var declared: [String: InputDeclaration] = [:]
        for (name, text) in task.declarations { declared[name] = try? InputDeclaration.parse(text) }

        var conversation = [ChatMessage(.system, AuthoringPrompt.system()), ChatMessage(.user, AuthoringPrompt.task(task))]
        var rounds: [AuthoringRound] = []
        var usage = TokenUsage()
        for number in 1...maxRounds {
            let completion: ChatCompletion
            do {
                completion = try await client.complete(conversation)
            } catch {
                throw .llm(error, rounds: rounds)
            }
            usage = usage + completion.usage
            let round = review(completion.content, number: number, task: task, declared: declared)
            rounds.append(round)
            logger.info("authoring round", metadata: [
                "predicate": "\(task.name)", "round": "\(number)", "expression": "\(round.expression ?? "-")",
                "diagnostics": "\(round.diagnostics.count)",
            ])
            if round.diagnostics.isEmpty, let source = round.expression {
                return Authored(source: source, rounds: rounds, usage: usage)
            }
            conversation.append(ChatMessage(.assistant, completion.content))
            conversation.append(ChatMessage(.user, AuthoringPrompt.feedback(round.diagnostics, examples: task.examples)))
        }
        throw .exhausted(rounds: rounds)
    }

    /// Everything wrong with one answer; empty when it can be submitted.
    func review(_ answer: String, number: Int, task: AuthoringTask, declared: [String: InputDeclaration]) -> AuthoringRound {
        guard let source = ExpressionExtractor.extract(from: answer) else {
            return AuthoringRound(number: number, answer: answer, expression: nil, diagnostics: [AuthoringDiagnostic(
                stage: "answer", message: "the answer holds no expression; reply with the expression alone in a ```cel block")])
        }
        switch validator.validate(source: source, declarations: task.declarations, tests: task.examples) {
        case .rejected(let diagnostics):
            return AuthoringRound(number: number, answer: answer, expression: source, diagnostics: diagnostics)
        case .accepted(let accepted):
            let findings = DegeneracyCheck().findings(declarations: declared, program: accepted.program,
                                                      examples: task.examples)
            return AuthoringRound(number: number, answer: answer, expression: source, diagnostics: findings)
        }
    }
}

/// One question and answer of the loop, and what was wrong with the answer.
public struct AuthoringRound: Sendable {
    public var number: Int
    /// The model's whole answer.
    public var answer: String
    /// The expression found in it, if any.
    public var expression: String?
    /// Empty when the expression was accepted.
    public var diagnostics: [AuthoringDiagnostic]
}

/// Why no predicate was authored.
public enum AuthoringFailure: Error, Sendable, CustomStringConvertible {
    /// The task itself is unusable (bad name, bad declaration, no intent).
    case invalidTask(String)
    /// The model could not be asked; the rounds completed before that.
    case llm(LLMError, rounds: [AuthoringRound])
    /// Every round ended with diagnostics.
    case exhausted(rounds: [AuthoringRound])

    public var description: String {
        switch self {
        case .invalidTask(let message):
            return "invalid authoring task: \(message)"
        case .llm(let error, let rounds):
            return "authoring stopped after \(rounds.count) completed round(s): \(error)"
        case .exhausted(let rounds):
            var text = "no acceptable predicate after \(rounds.count) round(s); every diagnostic:"
            for round in rounds {
                text += "\nround \(round.number): \(round.expression.map { "`\($0)`" } ?? "(no expression)")"
                for diagnostic in round.diagnostics {
                    text += "\n  - " + diagnostic.labelled(indent: 4)
                }
            }
            return text
        }
    }
}
