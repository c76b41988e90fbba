import Foundation

/// One decision as the log keeps it: what was asked (predicate, version, input), what came
/// of it, what it cost, who asked and which generation of the API answered.
public struct DecisionRecord: Sendable, Equatable {
    /// What came of a decision: the value it decided, or the error it ended in.
    public enum Outcome: Sendable, Equatable {
        /// The decision as JSON text (`true`, `3.5`, `{"tier":"gold"}`).
        case decided(json: String)
        /// The error's code (`invalid_input`, `evaluation_error`, `fuel_exhausted`, …).
        case failed(code: String)
    }

    public var id: DecisionID
    /// When the decision was made: its id's time unless told otherwise. Stored to the
    /// millisecond.
    public var createdAt: Date
    public var predicate: String
    public var version: Int
    /// The input object as the request carried it (JSON text, already checked to be JSON),
    /// until `maskingInput()` applies `inputMask` to it.
    public var input: String
    /// What of `input` must never be written: the decided version's mask, carried with the
    /// record so the masking happens off the response path, once, before any sink. Not
    /// stored; empty once applied.
    public var inputMask: InputMask
    public var outcome: Outcome
    public var fuel: UInt64
    /// From the start of the evaluation to its end, in microseconds.
    public var latencyMicroseconds: Int64
    /// The API key's public id or `jwt:<subject>`; nil when authentication is off.
    public var caller: String?
    /// The generation of the API process that decided.
    public var generation: Int64
    /// Set on a shadow version's decision (`version` is the shadow version): the live
    /// decision, on the same input, that it disagreed with. Only disagreements are logged.
    public var shadowOf: DecisionID?

    public init(id: DecisionID, createdAt: Date? = nil, predicate: String, version: Int, input: String, outcome: Outcome,
                fuel: UInt64, latencyMicroseconds: Int64, caller: String?, generation: Int64, inputMask: InputMask = .none,
                shadowOf: DecisionID? = nil) {
        self.id = id
        self.createdAt = createdAt ?? Date(timeIntervalSince1970: Double(id.milliseconds) / 1000)
        self.predicate = predicate
        self.version = version
        self.input = input
        self.outcome = outcome
        self.fuel = fuel
        self.latencyMicroseconds = latencyMicroseconds
        self.caller = caller
        self.generation = generation
        self.inputMask = inputMask
        self.shadowOf = shadowOf
    }

    /// The record as every sink must receive it: the input with its masked values replaced
    /// (`InputMask.masked`), and no mask left to apply.
    public func maskingInput() -> DecisionRecord {
        guard !inputMask.isEmpty else { return self }
        var masked = self
        masked.input = inputMask.masked(input)
        masked.inputMask = .none
        return masked
    }
}
