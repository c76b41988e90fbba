import SpectralCatalog
import SpectralJSON

/// `predicate.authored`: validates the submitted predicate (declarations, parse, check,
/// cost bound, compile, verify, attached tests) and publishes a new version, or records a
/// rejection with every diagnostic. A payload that is not a well-formed authoring request
/// is rejected too: it is the author's error, and retrying would not change it.
///
/// Its budgets make a hostile submission a rejection rather than a jam: a payload larger
/// than `maxPayloadBytes` is rejected before it is decoded (memory), each test runs under
/// the validator's fuel and memory limits, and a validation that overruns the worker's
/// handler budget (time) is rejected by `effect(overBudget:budget:)`.
public struct PredicateAuthoredHandler: EventHandler {
    public let topic = OutboxMessage.Topic.predicateAuthored
    public let name = "predicate.authored/publish.v1"
    public var validator: PredicateValidator
    /// The largest payload validated: decoding it and its tests holds it in memory several
    /// times over. Four times the HTTP intake's default body limit.
    public var maxPayloadBytes: Int
    /// Runs the validation: `validator.validate` unless a test injects its own (one that
    /// waits on a gate, to hold a validation in progress). The stop flag says the worker no
    /// longer waits for the result.
    public typealias Validation = @Sendable (PredicateDefinition, PredicateValidator, HandlerStop) -> PredicateValidator.Outcome
    let validation: Validation
    /// Where the impact replay's evidence comes from (`prepare`); nil: no replay, every
    /// version published as asked.
    public var evidence: (any PredicateRepository & DecisionLogRepository)?
    /// The most recent distinct logged inputs replayed through the active version and a new one.
    public var replayLimit: Int

    public init(validator: PredicateValidator = PredicateValidator(), maxPayloadBytes: Int = 4 << 20,
                evidence: (any PredicateRepository & DecisionLogRepository)? = nil, replayLimit: Int = 1_000,
                validation: Validation? = nil) {
        self.validator = validator
        self.maxPayloadBytes = maxPayloadBytes
        self.evidence = evidence
        self.replayLimit = max(0, replayLimit)
        self.validation = validation ?? { request, validator, stop in
            validator.validate(source: request.source, declarations: request.declarations, tests: request.tests,
                               returns: request.returns, shouldStop: { stop.isRaised })
        }
    }

    public func handle(_ event: OutboxEvent) throws -> HandlerEffect {
        try handle(event, stop: HandlerStop())
    }

    public func handle(_ event: OutboxEvent, stop: HandlerStop) throws -> HandlerEffect {
        try handle(event, prepared: nil, stop: stop)
    }

    /// The active version of the submitted predicate and its recent inputs, when it has an
    /// active version and there is a log to read (`ImpactEvidence`).
    public func prepare(_ event: OutboxEvent) async throws -> (any Sendable)? {
        guard let evidence, event.payload.utf8.count <= maxPayloadBytes,
              case .predicateAuthored(let request)? = try? event.message,
              let active = try await evidence.predicate(request.name, version: nil) else { return nil }
        let recent = replayLimit > 0 ? try await evidence.recentInputs(of: request.name, limit: replayLimit) : []
        return ImpactEvidence(active: active, recent: recent)
    }

    public func handle(_ event: OutboxEvent, prepared: (any Sendable)?, stop: HandlerStop) throws -> HandlerEffect {
        guard event.payload.utf8.count <= maxPayloadBytes else {
            return .reject(.init(name: "", source: "", diagnostics: [AuthoringDiagnostic(
                stage: "budget", message: "the payload is \(event.payload.utf8.count) bytes, over the validation memory budget of \(maxPayloadBytes) bytes")]))
        }
        let message: OutboxMessage
        do {
            message = try event.message
        } catch .unknownTopic(let topic) {
            throw UnknownTopic(topic: topic)
        } catch {
            let name = (try? JSONValue.parse(event.payload))?["name"]?.stringValue ?? ""
            return .reject(.init(name: name, source: "", diagnostics: [AuthoringDiagnostic(stage: "payload", message: error.description)]))
        }
        guard case .predicateAuthored(let request) = message else { throw UnknownTopic(topic: event.topic) }
        // Deeply nested sources recurse deeply in the parser and checker: validate on a
        // thread with a known, large stack (the worker calls us on one; tools may not).
        let (validation, validator) = (self.validation, self.validator)
        let outcome = LargeStackThread.run { validation(request, validator, stop) }
        switch outcome {
        case .accepted(let accepted):
            let evidence = prepared as? ImpactEvidence
            if let active = evidence?.active, active.isIdentical(to: request) {
                return .unchanged(name: active.name, version: active.version)
            }
            let limits = validator.limits
            let assessment = LargeStackThread.run {
                VersionAssessment(request: request, candidate: accepted.program, evidence: evidence, limits: limits,
                                  shouldStop: { stop.isRaised })
            }
            var version = HandlerEffect.NewVersion(request: request, bytecode: accepted.bytecode, costBound: accepted.costBound,
                                                   impact: assessment.impact, findings: assessment.findings)
            version.heldReason = request.activate ? request.activation.holdReason(for: assessment.impact, findings: assessment.findings) : nil
            return .publish(version)
        case .rejected(let diagnostics):
            return .reject(.init(name: request.name, source: request.source, diagnostics: diagnostics))
        }
    }

    /// A validation that overran its time budget is the submission's fault (an expensive
    /// pattern over large test inputs): rejected, with a diagnostic that says so.
    public func effect(overBudget event: OutboxEvent, budget: Duration) -> HandlerEffect? {
        let request: PredicateDefinition? = if case .predicateAuthored(let request)? = try? event.message { request } else { nil }
        return .reject(.init(name: request?.name ?? "", source: request?.source ?? "", diagnostics: [AuthoringDiagnostic(
            stage: "budget",
            message: "validation did not finish within its time budget of \(budget.inSeconds) s (parse, check, compile and \(request?.tests.count ?? 0) attached tests); make the tests' inputs smaller or the predicate cheaper")]))
    }
}
