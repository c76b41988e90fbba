import SpectralCatalog
import SpectralJSON

/// `predicate.authored`: validates the submitted predicate (declarations, parse, check,
/// cost bound, compile, verify, attached tests) and publishes a new version, or records a
/// rejection with every diagnostic. A payload that is not a well-formed authoring request
/// is rejected too: it is the author's error, and retrying would not change it.
public struct PredicateAuthoredHandler: EventHandler {
    public let topic = OutboxMessage.Topic.predicateAuthored
    public let name = "predicate.authored/publish.v1"
    public var validator: PredicateValidator

    public init(validator: PredicateValidator = PredicateValidator()) {
        self.validator = validator
    }

    public func handle(_ event: OutboxEvent) throws -> HandlerEffect {
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
        // thread with a known, large stack rather than whatever thread the store runs us on.
        let outcome = LargeStackThread.run {
            validator.validate(source: request.source, declarations: request.declarations, tests: request.tests)
        }
        switch outcome {
        case .accepted(let accepted):
            return .publish(.init(request: request, bytecode: accepted.bytecode, costBound: accepted.costBound))
        case .rejected(let diagnostics):
            return .reject(.init(name: request.name, source: request.source, diagnostics: diagnostics))
        }
    }
}
