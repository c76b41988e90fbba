import SpectralBytecode
import SpectralCompiler
import SpectralSyntax
import SpectralVM

/// Why source text did not become a program: every diagnostic, each with a span.
public struct CompileFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public var source: String

    /// Diagnostics as the Swift compiler prints them, with line, column and a caret.
    public func rendered() -> String {
        diagnostics.map { $0.rendered(in: source) }.joined(separator: "\n")
    }

    public var description: String { rendered() }

    /// True when the failure is a syntax error (as opposed to a type or compile error).
    public var isParseError: Bool { diagnostics.contains { $0.stage == .parse } }
}

/// Compiles source to a verified program: parse → check → generate → verify.
public func compile(_ source: String, in environment: Environment = Environment()) throws(CompileFailure) -> Program {
    let checked = try check(source, in: environment)
    let module: Module
    do {
        module = try CodeGenerator.generate(checked)
    } catch {
        throw CompileFailure(diagnostics: [Diagnostic(.compile, error.message, at: checked.expr.span)], source: source)
    }
    do {
        return try Program(module: module, limits: environment.limits, resultType: checked.resultType)
    } catch {
        throw CompileFailure(diagnostics: [Diagnostic(.compile, error.description, at: checked.expr.span)], source: source)
    }
}

/// Parses and checks source without generating code.
public func check(_ source: String, in environment: Environment = Environment()) throws(CompileFailure) -> CheckedExpr {
    let expr: Expr
    do {
        expr = try Parser.parse(source, options: environment.parserOptions)
    } catch {
        throw CompileFailure(diagnostics: error.diagnostics, source: source)
    }
    guard environment.typeCheck else {
        return Checker.resolveOnly(expr, declarations: environment.declarations)
    }
    do {
        return try Checker.check(expr, declarations: environment.declarations)
    } catch {
        throw CompileFailure(diagnostics: error.diagnostics, source: source)
    }
}
