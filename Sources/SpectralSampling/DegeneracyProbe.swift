import Spectral

/// Signs that a predicate which passes its examples cannot be what was meant, found by
/// running it on the examples and on generated inputs (`SampleInputGenerator`):
/// - a declared input the program never reads;
/// - a decision that is the same for every input tried (a constant dressed up);
/// - a declared input that is read, yet changing it alone never changed an outcome.
///
/// The agent sends the first two back to its model; the worker stores all three with
/// every published version, whoever wrote it. Deterministic: the generator is seeded.
public struct DegeneracyProbe {
    public let program: Program
    public let declarations: [String: InputDeclaration]
    public let exampleCount: Int
    /// The examples, then the generated inputs.
    public let inputs: [JSONValue]

    /// Generated inputs tried besides the examples.
    public static let defaultSampleCount = 256
    /// Inputs a read input is changed in, and values it is changed to, when looking for
    /// one that matters: at most `bases × values` evaluations per input.
    static let inertBases = 32
    static let inertValues = 16

    public init(program: Program, declarations: [String: InputDeclaration], examples: [JSONValue],
                sampleCount: Int = DegeneracyProbe.defaultSampleCount) {
        var generator = SampleInputGenerator(declarations: declarations, examples: examples)
        self.program = program
        self.declarations = declarations
        self.exampleCount = examples.count
        self.inputs = examples + generator.samples(count: sampleCount)
    }

    /// Declared inputs the compiled program never loads: its variable table lists exactly
    /// the inputs the expression refers to, so there is no need to read the source again.
    public var unreadInputs: [String] {
        let read = Set(program.module.variables)
        return declarations.keys.filter { !read.contains($0) }.sorted()
    }

    /// The decision every input tried gave, and how many gave it, when they all gave the
    /// same one; nil otherwise. Inputs the expression fails on (a missing key, say) are
    /// not counted either way; nor are those not reached when `shouldStop` said so.
    public func constantDecision(shouldStop: () -> Bool = { false }) -> (decision: JSONValue, count: Int)? {
        var machine = program.makeMachine()
        var decision: JSONValue?, count = 0
        for input in inputs {
            if shouldStop() { break }
            guard case .success(let value) = program.evaluate(json: input.serializedBytes(), on: &machine).result else { continue }
            let json = value.jsonValue
            if let decision, decision != json { return nil }
            decision = json
            count += 1
        }
        return decision.map { ($0, count) }
    }

    /// Declared inputs the program reads, but whose value, changed alone in any of the first
    /// `inertBases` inputs to any of `inertValues` values the inputs tried hold for it, never
    /// changed the outcome (a decision, or which error). Sorted. `shouldStop` ends the search
    /// early, with nothing reported for the inputs not yet decided.
    public func inertInputs(shouldStop: () -> Bool = { false }) -> [String] {
        let read = Set(program.module.variables)
        var machine = program.makeMachine()
        func outcome(_ input: JSONValue) -> Outcome { Outcome(program.evaluate(json: input.serializedBytes(), on: &machine)) }
        let bases = inputs.prefix(Self.inertBases).map { ($0, outcome($0)) }
        var inert: [String] = []
        for name in declarations.keys.sorted() where read.contains(name) {
            var seen = Set<String>(), values: [JSONValue] = []
            for input in inputs {
                guard values.count < Self.inertValues, let value = input[name], seen.insert(value.serialized()).inserted else { continue }
                values.append(value)
            }
            var matters = false
            search: for (base, before) in bases {
                for value in values where base[name] != value {
                    if shouldStop() { return inert }
                    if outcome(base.replacing(at: [.key(name)], with: value)) != before {
                        matters = true
                        break search
                    }
                }
            }
            if !matters, values.count > 1 { inert.append(name) }
        }
        return inert
    }

    /// An evaluation's outcome, compared and nothing else: its decision or its error's code.
    private enum Outcome: Equatable {
        case decided(JSONValue)
        case failed(String)

        init(_ evaluation: Evaluation) {
            switch evaluation.result {
            case .success(let value): self = .decided(value.jsonValue)
            case .failure(let error): self = .failed(error.code)
            }
        }
    }
}
