import Spectral

/// What a submission changes in the inputs and result of the version it replaces, in
/// words for its impact report: a declaration added, removed or retyped, the result type.
public enum DeclarationChanges {
    public static func between(_ active: PredicateVersion, _ request: PredicateDefinition) -> [String] {
        var changes: [String] = []
        for name in Set(active.declarations.keys).union(request.declarations.keys).sorted() {
            switch (active.declarations[name], request.declarations[name]) {
            case (nil, let added?): changes.append("added '\(name)': \(describe(added))")
            case (let removed?, nil): changes.append("removed '\(name)' (was \(describe(removed)))")
            case (let before?, let after?) where before != after:
                changes.append("'\(name)' changed: \(describe(before)) -> \(describe(after))")
            default: break
            }
        }
        if active.returns != request.returns { changes.append("returns changed: \(active.returns) -> \(request.returns)") }
        return changes
    }

    /// A CEL type as written; a JSON Schema by kind, as its text can run to pages.
    private static func describe(_ declaration: String) -> String {
        InputDeclaration.isSchema(declaration) ? "a JSON Schema" : declaration
    }
}
