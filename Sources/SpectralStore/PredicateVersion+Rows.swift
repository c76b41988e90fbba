import SpectralCatalog
import SpectralJSON

extension PredicateVersion {
    /// Stored JSON columns back into values; a column that does not decode means the row
    /// was written by something other than this store.
    static func decodeDeclarations(_ text: String) throws(StoreError) -> [String: String] {
        // The column holds what `PredicateDefinition.declarationsJSON` writes: CEL type
        // strings, and JSON Schemas as objects, read back as their canonical text.
        guard let json = try? JSONValue.parse(text), let declarations = try? PredicateDefinition.declarations(json: json) else {
            throw .corruptRow("declarations: \(text)")
        }
        return declarations
    }

    static func decodeTests(_ text: String) throws(StoreError) -> [PredicateTest] {
        guard let json = try? JSONValue.parse(text), let tests = try? PredicateTest.list(json: json) else {
            throw .corruptRow("tests: \(text)")
        }
        return tests
    }
}

extension HandlerEffect.NewVersion {
    var declarationsJSON: String { PredicateDefinition.declarationsJSON(request.declarations).serialized() }
    var testsJSON: String { JSONValue.array(request.tests.map(\.jsonValue)).serialized() }
}
