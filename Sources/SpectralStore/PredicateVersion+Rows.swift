import SpectralCatalog
import SpectralJSON

extension PredicateVersion {
    /// Stored JSON columns back into values; a column that does not decode means the row
    /// was written by something other than this store.
    static func decodeDeclarations(_ text: String) throws(StoreError) -> [String: String] {
        guard let members = (try? JSONValue.parse(text))?.objectValue else { throw .corruptRow("declarations: \(text)") }
        var declarations: [String: String] = [:]
        for (name, type) in members {
            guard let type = type.stringValue else { throw .corruptRow("declarations: \(text)") }
            declarations[name] = type
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
