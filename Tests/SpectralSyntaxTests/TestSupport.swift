import Foundation
@testable import SpectralSyntax

/// The repository root, from this file's path: Tests/SpectralSyntaxTests/<file>.
let repositoryRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// Parses and prints the s-expression, or the first diagnostic's message.
func sexpr(_ source: String, macros: Bool = true) -> String {
    do {
        return try Parser.parse(source, options: ParserOptions(macros: macros)).debugDescription
    } catch {
        return "error: " + (error.diagnostics.first?.message ?? "?")
    }
}

/// The first diagnostic of a source that must fail to parse.
func parseError(_ source: String, options: ParserOptions = ParserOptions()) -> Diagnostic? {
    do {
        _ = try Parser.parse(source, options: options)
        return nil
    } catch {
        return error.diagnostics.first
    }
}

func literal(_ source: String) -> Literal? {
    guard case .literal(let value)? = try? Parser.parse(source).kind else { return nil }
    return value
}
