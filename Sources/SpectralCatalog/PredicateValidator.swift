import Spectral
import SpectralBytecode
import SpectralJSON

/// The checks every published predicate version passes, in order: declarations parse,
/// source parses and type-checks against them, the static cost bound fits the budget, the
/// module compiles, encodes, decodes and verifies, and every attached test produces its
/// expected decision when run from the encoded bytes (the artifact that will be stored).
///
/// Stages that can report several problems (declarations, source, tests) report all of
/// them, so an author fixes everything in one round.
public struct PredicateValidator: Sendable {
    /// Limits every evaluation of the predicate runs under, tests included.
    public var limits: Limits
    /// The largest static cost bound accepted. Predicates whose cost depends on input
    /// sizes (comprehensions) have no static bound; the run-time fuel limit bounds them.
    public var costBudget: UInt64

    public init(limits: Limits = Limits(), costBudget: UInt64? = nil) {
        self.limits = limits
        self.costBudget = costBudget ?? limits.fuel
    }

    /// A predicate that passed every check.
    public struct Accepted: Sendable {
        public var program: Program
        /// The encoded module, as it will be stored.
        public var bytecode: [UInt8]
        /// The static fuel bound, nil when it depends on input sizes.
        public var costBound: UInt64?
    }

    public enum Outcome: Sendable {
        case accepted(Accepted)
        case rejected([AuthoringDiagnostic])
    }

    /// `shouldStop` is asked before each attached test: once it says yes (the worker stopped
    /// waiting: the validation is over its time budget), the rest are not run and the outcome,
    /// which nobody will read, is a rejection. Why: a thread cannot be stopped from outside,
    /// and an abandoned validation would otherwise run every remaining test to its fuel limit.
    public func validate(source: String, declarations: [String: String], tests: [PredicateTest], returns: String = "bool",
                         shouldStop: @Sendable () -> Bool = { false }) -> Outcome {
        var declared: [String: InputDeclaration] = [:]
        var diagnostics: [AuthoringDiagnostic] = []
        for (name, text) in declarations.sorted(by: { $0.key < $1.key }) {
            do { declared[name] = try InputDeclaration.parse(text) } catch {
                // A schema's error names the keyword and its pointer; quoting a whole schema would bury that.
                let quoted = InputDeclaration.isSchema(text) ? "" : " in '\(text)'"
                diagnostics.append(AuthoringDiagnostic(stage: "declaration", message: "\(name): \(error.message)\(quoted)"))
            }
        }
        let resultType: CELType
        do { resultType = try CELType.parse(returns) } catch {
            diagnostics.append(AuthoringDiagnostic(stage: "declaration", message: "returns: \(error.message) in '\(returns)'"))
            resultType = .dyn
        }
        guard diagnostics.isEmpty else { return .rejected(diagnostics) }

        var environment = Environment(declared: declared, limits: limits)
        environment.declarations.resultType = resultType
        let compiled: Program
        do {
            compiled = try compile(source, in: environment)
        } catch {
            return .rejected(error.diagnostics.map { AuthoringDiagnostic($0, in: source) })
        }

        let bound = compiled.module.costBound == .max ? nil : compiled.module.costBound
        if let bound, bound > costBudget {
            return .rejected([AuthoringDiagnostic(
                stage: "cost", message: "static cost bound \(bound) exceeds the budget of \(costBudget)")])
        }

        // Run the tests on the program decoded from its bytes: what is stored is what is tested.
        let bytecode = compiled.encoded
        let program: Program
        do {
            program = try Program(bytes: bytecode, limits: limits)
        } catch {
            return .rejected([AuthoringDiagnostic(stage: "verify", message: error.description)])
        }

        for (index, test) in tests.enumerated() {
            if shouldStop() {
                return .rejected([AuthoringDiagnostic(stage: "budget", message: "stopped before test \(index + 1) of \(tests.count): over its time budget")])
            }
            if let failure = run(test, on: program) {
                diagnostics.append(AuthoringDiagnostic(stage: "test", message: "\(test.label(index: index)): \(failure)"))
            }
        }
        guard diagnostics.isEmpty else { return .rejected(diagnostics) }
        return .accepted(Accepted(program: program, bytecode: bytecode, costBound: bound))
    }

    /// `validate` on a thread with a large stack: the parser and checker recurse once per
    /// nesting level, deeper than a cooperative-pool thread's stack promises.
    public func validateOnLargeStack(source: String, declarations: [String: String], tests: [PredicateTest],
                                     returns: String = "bool") async -> Outcome {
        await LargeStackThread.value { validate(source: source, declarations: declarations, tests: tests, returns: returns) }
    }

    /// Why a test failed, or nil when it passed.
    private func run(_ test: PredicateTest, on program: Program) -> String? {
        let evaluation = program.evaluate(json: test.input.serializedBytes())
        switch evaluation.result {
        case .failure(let error):
            return "expected \(test.expect.serialized()), got an error: \(error)"
        case .success(let value):
            let actual = value.jsonValue
            return actual.isSameDecision(as: test.expect) ? nil
                : "expected \(test.expect.serialized()), got \(actual.serialized())"
        }
    }
}

extension JSONValue {
    /// Equality of decisions: numbers compare by value (`1` matches `1.0`), objects by
    /// their members in any order, everything else structurally.
    func isSameDecision(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.number(let x), .number(let y)):
            if let a = x.int64Value, let b = y.int64Value { return a == b }
            if let a = x.uint64Value, let b = y.uint64Value { return a == b }
            return x.doubleValue == y.doubleValue
        case (.array(let xs), .array(let ys)):
            return xs.count == ys.count && zip(xs, ys).allSatisfy { $0.isSameDecision(as: $1) }
        case (.object(let xs), .object(let ys)):
            guard xs.count == ys.count else { return false }
            return xs.allSatisfy { key, value in
                ys.contains { $0.0 == key && $0.1.isSameDecision(as: value) }
            }
        default:
            return self == other
        }
    }
}
