import Foundation
import Testing
@testable import SpectralSyntax

/// Every `example: ` line of Sources/SpectralAgent/Grammar/cel.ebnf must parse, so the grammar's examples
/// cannot drift from the parser.
@Test func grammarExamplesParse() throws {
    let text = try String(contentsOfFile: repositoryRoot + "/Sources/SpectralAgent/Grammar/cel.ebnf", encoding: .utf8)
    let prefix = "example: "
    let examples = text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    #expect(examples.count >= 40)
    for example in examples {
        do {
            _ = try Parser.parse(example)
        } catch {
            Issue.record("\(error.diagnostics.first?.rendered(in: example) ?? example)")
        }
    }
}
