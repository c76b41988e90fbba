import Spectral
import SpectralJSON

/// Runs CEL conformance tests in the JSON format of Fixtures/conformance/README.md.
///
/// Scoring is strict: a parse or check error is a failure even when the test expects an
/// evaluation error, and tests carrying an unsupported feature tag are skipped (and counted).
public struct ConformanceRunner {
    /// Feature tags this engine does not support yet.
    public static let unsupportedTags: Set<String> = [
        "proto", "ext_proto",
    ]

    public var unsupported: Set<String>
    /// Runs each test on its explained program (`Explainer`), which must decide exactly as
    /// the plain one, and fails a test whose explanation's root does not hold its result.
    public var explaining: Bool

    public init(unsupported: Set<String> = ConformanceRunner.unsupportedTags, explaining: Bool = false) {
        self.unsupported = unsupported
        self.explaining = explaining
    }

    public struct Outcome: Sendable {
        public enum Verdict: Sendable, Equatable { case passed, failed(String), skipped }
        public var id: String
        public var tags: [String]
        public var verdict: Verdict
        /// The fuel the evaluation used and the program's static cost bound (`.max` when
        /// unknown); nil when nothing was evaluated (skipped, check-only, not compiled).
        public var cost: (used: UInt64, bound: UInt64)?
    }

    public struct Summary: Sendable {
        public var outcomes: [Outcome]
        public var passed: Int { outcomes.filter { $0.verdict == .passed }.count }
        public var failed: Int { outcomes.filter { if case .failed = $0.verdict { return true }; return false }.count }
        public var skipped: Int { outcomes.filter { $0.verdict == .skipped }.count }
        public var line: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
    }

    public func run(fileBytes: [UInt8]) throws(JSONError) -> Summary {
        let document = try JSONValue.parse(fileBytes, limits: JSONLimits(maxDepth: 256, maxBytes: 64 << 20))
        let tests = document["tests"]?.arrayValue ?? []
        return Summary(outcomes: tests.map(run))
    }

    public func run(_ test: JSONValue) -> Outcome {
        let id = test["id"]?.stringValue ?? "?"
        let tags = (test["needs"]?.arrayValue ?? []).compactMap(\.stringValue)
        if tags.contains(where: unsupported.contains) {
            return Outcome(id: id, tags: tags, verdict: .skipped, cost: nil)
        }
        var cost: (used: UInt64, bound: UInt64)?
        let verdict: Outcome.Verdict
        do {
            verdict = try evaluate(test, cost: &cost)
        } catch {
            verdict = .failed("unsupported test data: \(error)")
        }
        return Outcome(id: id, tags: tags, verdict: verdict, cost: cost)
    }

    private func evaluate(_ test: JSONValue, cost: inout (used: UInt64, bound: UInt64)?) throws(ProtoJSON.Unsupported) -> Outcome.Verdict {
        let source = test["expr"]?.stringValue ?? ""
        let checked = !(test["disable_check"]?.boolValue ?? false)
        var variables: [String: CELType] = [:]
        var functions: [FunctionDecl] = []
        for decl in test["type_env"]?.arrayValue ?? [] {
            let name = decl["name"]?.stringValue ?? ""
            if let ident = decl["ident"] {
                variables[name] = try ProtoJSON.type(ident["type"] ?? .null)
            } else if let function = decl["function"] {
                var overloads: [Overload] = []
                for o in function["overloads"]?.arrayValue ?? [] {
                    var params: [CELType] = []
                    for p in o["params"]?.arrayValue ?? [] { params.append(try ProtoJSON.type(p)) }
                    overloads.append(Overload(o["overload_id"]?.stringValue ?? name, params,
                                              try ProtoJSON.type(o["result_type"] ?? ["dyn": [:]]),
                                              receiver: o["is_instance_function"]?.boolValue ?? false))
                }
                functions.append(FunctionDecl(name, overloads))
            }
        }
        var bindings: [String: CELValue] = [:]
        for (name, binding) in test["bindings"]?.objectValue ?? [] {
            guard let value = binding["value"] else { throw ProtoJSON.Unsupported(description: "unknown binding") }
            bindings[name] = try ProtoJSON.value(value)
            if variables[name] == nil && !checked { variables[name] = .dyn }
        }
        var parserOptions = ParserOptions()
        parserOptions.macros = !(test["disable_macros"]?.boolValue ?? false)
        let environment = Environment(variables: variables, functions: functions,
                                      container: test["container"]?.stringValue ?? "",
                                      parserOptions: parserOptions, typeCheck: checked)

        if test["check_only"]?.boolValue ?? false {
            do {
                let result = try check(source, in: environment)
                return compareType(result.resultType, test["typed_result"]?["deduced_type"])
            } catch {
                return .failed("check: \(error.rendered())")
            }
        }
        let evaluation: Evaluation, resultType: CELType
        do {
            if explaining {
                let explainer = try Explainer.compile(source, in: environment)
                let explanation = explainer.explain(bindings)
                (evaluation, resultType) = (explanation.evaluation, explainer.program.resultType)
                if let failure = Self.rootMismatch(explanation) { return .failed(failure) }
            } else {
                let program = try compile(source, in: environment)
                (evaluation, resultType) = (program.evaluate(bindings), program.resultType)
                cost = (evaluation.fuelUsed, program.module.costBound)
            }
        } catch {
            return .failed("compile: \(error.rendered())")
        }
        if test["eval_error"] != nil || test["any_eval_errors"] != nil {
            if case .success(let value) = evaluation.result { return .failed("expected an error, got \(value)") }
            return .passed
        }
        let expected: CELValue
        if let value = test["value"] {
            expected = try ProtoJSON.value(value)
        } else if let typed = test["typed_result"] {
            if let result = typed["result"] { expected = try ProtoJSON.value(result) } else { expected = .null }
            if case .failed(let why) = compareType(resultType, typed["deduced_type"]) { return .failed(why) }
            if typed["result"] == nil { return .passed }
        } else {
            return .failed("test has no supported expectation (unknowns?)")
        }
        switch evaluation.result {
        case .success(let value):
            return value == expected ? .passed : .failed("expected \(expected), got \(value)")
        case .failure(let error):
            return .failed("expected \(expected), got error: \(error)")
        }
    }

    private func compareType(_ actual: CELType, _ expectedJSON: JSONValue?) -> Outcome.Verdict {
        guard let expectedJSON else { return .passed }
        guard let expected = try? ProtoJSON.type(expectedJSON) else { return .failed("unsupported expected type") }
        return actual == expected ? .passed : .failed("expected type \(expected), deduced \(actual)")
    }

    /// Why an explanation's root clause does not hold the evaluation's result, if it does not.
    static func rootMismatch(_ explanation: Explanation) -> String? {
        guard let root = explanation.root else { return "no clauses explained" }
        switch (explanation.evaluation.result, root.value) {
        case (.success(let value), .value(let shown)) where value == shown: return nil
        case (.failure(.evaluation), .error): return nil
        case (.failure(let error), .notEvaluated) where error.isResourceLimit: return nil
        default: return "the explanation's root is \(root.value), the evaluation's result \(explanation.evaluation.result)"
        }
    }
}
