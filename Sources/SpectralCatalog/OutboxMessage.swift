import SpectralJSON

/// What the outbox carries: one case per topic, with its payload typed. Events are stored
/// as topic and JSON text; this is the only place either is written or read.
public enum OutboxMessage: Sendable, Equatable {
    /// A predicate to validate and publish (`predicate.authored`).
    case predicateAuthored(PredicateDefinition)
    /// A turn of an authoring task for the agent lane (`authoring.requested`): the task
    /// and its request live in the store; the message says which turn to run.
    case authoringRequested(taskID: String, turn: Int)

    public enum Topic {
        public static let predicateAuthored = "predicate.authored"
        public static let authoringRequested = "authoring.requested"
    }

    public var topic: String {
        switch self {
        case .predicateAuthored: return OutboxMessage.Topic.predicateAuthored
        case .authoringRequested: return OutboxMessage.Topic.authoringRequested
        }
    }

    /// The payload as stored.
    public var payload: String {
        switch self {
        case .predicateAuthored(let definition): return definition.jsonValue.serialized()
        case .authoringRequested(let taskID, let turn):
            return JSONValue.object([("task_id", .string(taskID)), ("turn", .number(JSONNumber(Int64(turn))))]).serialized()
        }
    }

    /// Reads a stored event back. Throws when the topic is unknown or the payload does not
    /// fit it: the author's error, which retrying cannot fix.
    public init(topic: String, payload: String) throws(OutboxMessageError) {
        switch topic {
        case OutboxMessage.Topic.predicateAuthored:
            do {
                self = .predicateAuthored(try PredicateDefinition(jsonText: payload))
            } catch {
                throw .malformedPayload(topic: topic, message: error.message)
            }
        case OutboxMessage.Topic.authoringRequested:
            guard let json = try? JSONValue.parse(payload), let taskID = json["task_id"]?.stringValue,
                  let turn = json["turn"]?.int64Value.map(Int.init), turn >= 1 else {
                throw .malformedPayload(topic: topic, message: "expected {\"task_id\": string, \"turn\": int ≥ 1}")
            }
            self = .authoringRequested(taskID: taskID, turn: turn)
        default:
            throw .unknownTopic(topic)
        }
    }
}

/// A stored event that is not a message this build understands.
public enum OutboxMessageError: PermanentHandlerError, Sendable, Equatable, CustomStringConvertible {
    case unknownTopic(String)
    case malformedPayload(topic: String, message: String)

    public var description: String {
        switch self {
        case .unknownTopic(let topic): return "no handler for topic '\(topic)'"
        case .malformedPayload(_, let message): return message
        }
    }
}
