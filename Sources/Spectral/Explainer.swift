import SpectralBytecode
import SpectralCompiler
import SpectralVM

/// A predicate compiled to explain its decisions: the program with a `trace` after each
/// clause (`ClauseTree`), and what it needs to show them (the tree and the source).
///
/// Deciding never runs it. It is compiled from the source only when a decision is to be
/// explained, so explaining costs nothing when it is off; and as `trace` is free, an
/// explained run charges exactly the fuel the plain one does, under the same limits.
public struct Explainer: Sendable {
    public let program: Program
    public let clauses: ClauseTree
    public let source: String

    /// Compiles `source` as `compile(_:in:)` does, tracing its clauses.
    public static func compile(_ source: String, in environment: Environment) throws(CompileFailure) -> Explainer {
        let checked = try check(source, in: environment)
        let clauses = ClauseTree(checked)
        let module: Module
        do {
            module = try CodeGenerator.generate(checked, tracing: clauses)
        } catch {
            throw CompileFailure(diagnostics: [Diagnostic(.compile, error.message, at: checked.expr.span)], source: source)
        }
        do {
            let program = try Program(module: module, limits: environment.limits, resultType: checked.resultType)
            return Explainer(program: program, clauses: clauses, source: source)
        } catch {
            throw CompileFailure(diagnostics: [Diagnostic(.compile, error.description, at: checked.expr.span)], source: source)
        }
    }

    /// Decides on `json` and explains how: each clause's value, and which decided. Values
    /// read from a place `masks` covers are not shown (`InputMasks`).
    public func explain(json: [UInt8], masks: InputMasks = InputMasks()) -> Explanation {
        explain(masks: masks) { machine throws(EvaluationError) in
            do throws(JSONBinder.BindingError) {
                try JSONBinder.bind(json, into: &machine)
            } catch {
                throw .input(error.message)
            }
        }
    }

    /// `explain(json:masks:)` with variables given as values.
    public func explain(_ bindings: [String: CELValue], masks: InputMasks = InputMasks()) -> Explanation {
        explain(masks: masks) { machine throws(EvaluationError) in
            machine.beginBinding()
            for (name, value) in bindings {
                do {
                    machine.bind(name, to: try value.materialize(in: &machine.heap))
                } catch {
                    throw .memoryExhausted(limit: program.limits.memory)
                }
            }
            machine.endBinding()
        }
    }

    private func explain(masks: InputMasks, binding: (inout Machine) throws(EvaluationError) -> Void) -> Explanation {
        var machine = program.makeMachine()
        do {
            try binding(&machine)
        } catch {
            return Explanation(evaluation: Evaluation(result: .failure(error), fuelUsed: 0), root: nil)
        }
        machine.clearTraces(clauses.registerCount)
        let evaluation = Evaluation(machine.run(), of: machine)
        let reader = ClauseReader(clauses: clauses, source: Array(source.utf8), machine: machine, masks: masks)
        return Explanation(evaluation: evaluation, root: reader.clause(0, reached: true, decided: true))
    }
}
