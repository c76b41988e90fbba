import Foundation
import Testing
@testable import SpectralSyntax

/// Every expression of the cel-spec conformance suite that does not need protobuf
/// messages must parse (proto tests use message construction `T{...}`, which we reject).
/// Also skipped: optional syntax (`.?`, `[?`, `{?`; not supported yet).
@Test func conformanceExpressionsParse() throws {
    let path = repositoryRoot + "/Fixtures/conformance/cel-spec-visible.json"
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let tests = try #require(root["tests"] as? [[String: Any]])
    var failures: [String] = []
    var count = 0
    for test in tests {
        let needs = test["needs"] as? [String] ?? []
        guard !needs.contains("proto"), !needs.contains("optionals"), let expr = test["expr"] as? String else { continue }
        count += 1
        let macros = !(test["disable_macros"] as? Bool ?? false)
        do {
            _ = try Parser.parse(expr, options: ParserOptions(macros: macros))
        } catch {
            failures.append("\(test["id"] ?? "?"): \(error.diagnostics.first?.rendered(in: expr) ?? "")")
        }
    }
    #expect(count > 1000)
    #expect(failures.isEmpty, "\(failures.count) failures:\n\(failures.joined(separator: "\n"))")
}
