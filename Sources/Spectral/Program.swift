import SpectralBytecode
import SpectralCompiler
@_spi(Testing) import SpectralVM

/// A compiled, verified predicate, ready to evaluate. Immutable and shareable; each
/// evaluation runs in its own `Machine` (reuse one per thread on hot paths).
public struct Program: Sendable {
    public let executable: Executable
    public let limits: Limits
    /// The checked result type (`dyn` when unchecked or loaded from bytecode).
    public let resultType: CELType
    /// How JSON input is mapped onto each variable, derived from the module's
    /// declarations when it is loaded (variables left out bind as `dyn`).
    public var inputShapes: [String: InputShape] { executable.inputShapes }

    public var module: Module { executable.module }

    /// Loads a module (from a compiler or from storage): it is verified before anything
    /// runs, and its declarations say how each variable binds JSON input.
    public init(module: Module, limits: Limits = Limits(), resultType: CELType = .dyn) throws(LoadError) {
        self.executable = try Executable(verifying: module)
        self.limits = limits
        self.resultType = resultType
    }

    /// Decodes and verifies an encoded module (format version 1, 2 or 3; a version-1
    /// module binds every variable as `dyn` until upgraded with `Module.declaring`).
    public init(bytes: [UInt8], limits: Limits = Limits()) throws(ProgramLoadError) {
        let module: Module
        do {
            module = try ModuleDecoder.decode(bytes)
        } catch {
            throw ProgramLoadError.format(error)
        }
        do {
            try self.init(module: module, limits: limits)
        } catch {
            throw ProgramLoadError.load(error)
        }
    }

    public var encoded: [UInt8] { ModuleEncoder.encode(module) }

    public func makeMachine() -> Machine { Machine(executable, limits: limits) }

    /// Evaluates with variables given as values.
    public func evaluate(_ bindings: [String: CELValue] = [:]) -> Evaluation {
        var machine = makeMachine()
        machine.beginBinding()
        for (name, value) in bindings {
            do {
                machine.bind(name, to: try value.materialize(in: &machine.heap))
            } catch {
                return Evaluation(result: .failure(.memoryExhausted(limit: limits.memory)), fuelUsed: 0)
            }
        }
        machine.endBinding()
        return Evaluation(machine.run(), of: machine)
    }

    /// Evaluates with variables bound from a JSON object, parsed straight into the
    /// evaluation's heap (the decide path).
    public func evaluate(json: [UInt8]) -> Evaluation {
        var machine = makeMachine()
        return evaluate(json: json, on: &machine)
    }

    /// Like `evaluate(json:)`, reusing a machine made by `makeMachine()` (one per thread).
    public func evaluate(json: [UInt8], on machine: inout Machine) -> Evaluation {
        evaluate(json: json, on: &machine, direct: true)
    }

    /// Like `evaluate(json:on:)` with at most `budget` fuel: nil, instead of running out,
    /// when the budget is below the program's own limit and did not suffice. The caller
    /// then evaluates again with the whole fuel (the server: on a thread of its own).
    public func evaluate(json: [UInt8], on machine: inout Machine, fuelAtMost budget: UInt64) -> Evaluation? {
        if let refused = bind(json, on: &machine, direct: true) { return refused }
        let outcome = machine.run(fuelAtMost: budget)
        if budget < limits.fuel, case .trap(.fuelExhausted, _) = outcome.result { return nil }
        return Evaluation(outcome, of: machine)
    }

    /// `direct: false` binds the input the general way only (`JSONBinder.bind(_:into:limits:direct:)`),
    /// for the fuzz target that compares the two ways.
    @_spi(Testing)
    public func evaluate(json: [UInt8], on machine: inout Machine, direct: Bool) -> Evaluation {
        if let refused = bind(json, on: &machine, direct: direct) { return refused }
        return Evaluation(machine.run(), of: machine)
    }

    /// Binds `json` into `machine`: nil when bound, else the evaluation that reports why not.
    private func bind(_ json: [UInt8], on machine: inout Machine, direct: Bool) -> Evaluation? {
        do {
            try JSONBinder.bind(json, into: &machine, direct: direct)
            return nil
        } catch {
            return Evaluation(result: .failure(.input(error.message)), fuelUsed: 0, inputViolations: error.violations)
        }
    }
}

public enum ProgramLoadError: Error, Sendable, CustomStringConvertible {
    case format(ModuleFormatError)
    case load(LoadError)

    public var description: String {
        switch self {
        case .format(let error): return error.description
        case .load(let error): return error.description
        }
    }
}

/// The outcome of one evaluation.
public struct Evaluation: Sendable {
    public var result: Result<CELValue, EvaluationError>
    public var fuelUsed: UInt64
    /// Where in the source a failure arose (UTF-8 byte offsets): the instruction that made
    /// the error, or that ran out of fuel or memory. Nil on success, or when no instruction
    /// did (an input that could not be bound, a variable the input lacks).
    public var failureSpan: Range<Int>?
    /// When the input could not be bound: each way it broke its declarations, at its place
    /// (the `.input` message lists them), so a caller can word them without the values.
    public var inputViolations: [InputViolation]

    public init(result: Result<CELValue, EvaluationError>, fuelUsed: UInt64, failureSpan: Range<Int>? = nil,
                inputViolations: [InputViolation] = []) {
        self.result = result
        self.fuelUsed = fuelUsed
        self.failureSpan = failureSpan
        self.inputViolations = inputViolations
    }

    init(_ outcome: Machine.Outcome, of machine: borrowing Machine) {
        let span: SourceRange
        switch outcome.result {
        case .value(let value):
            result = CELValue.from(value, in: machine.heap)
            span = machine.origin(ofError: value)
        case .trap(.fuelExhausted(let limit), let at):
            result = .failure(.fuelExhausted(limit: limit))
            span = at
        case .trap(.memoryExhausted(let limit), let at):
            result = .failure(.memoryExhausted(limit: limit))
            span = at
        }
        fuelUsed = outcome.fuelUsed
        inputViolations = []
        failureSpan = span.start >= 0 && span.end >= span.start ? Int(span.start)..<Int(span.end) : nil
    }
}

public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A CEL error: no such key, overflow, no matching overload, ...
    case evaluation(String)
    /// The input could not be bound: malformed JSON, a value not matching its declaration.
    case input(String)
    case fuelExhausted(limit: UInt64)
    case memoryExhausted(limit: Int)

    public var description: String {
        switch self {
        case .evaluation(let message): return message
        case .input(let message): return message
        case .fuelExhausted(let limit): return Trap.fuelExhausted(limit: limit).message
        case .memoryExhausted(let limit): return Trap.memoryExhausted(limit: limit).message
        }
    }

    /// The error's code in API responses and the decision log.
    public var code: String {
        switch self {
        case .evaluation: return "evaluation_error"
        case .input: return "invalid_input"
        case .fuelExhausted: return "fuel_exhausted"
        case .memoryExhausted: return "memory_exhausted"
        }
    }

    public var isResourceLimit: Bool {
        switch self {
        case .evaluation, .input: return false
        default: return true
        }
    }
}
