import ArgumentParser
import SpectralCatalog
import SpectralJSON
import Spectral

/// `--declare NAME=TYPE`, repeatable, shared by the commands that compile.
struct DeclarationOptions: ParsableArguments {
    @Option(name: .customLong("declare"), help: ArgumentHelp("Declare an input variable, e.g. user='map(string, dyn)', or txn=@txn.schema.json for a JSON Schema read from a file.", valueName: "NAME=TYPE"))
    var declarations: [String] = []

    /// Variable name → declaration text, as the store keeps it: the type as given, or a
    /// JSON Schema file's object in canonical text (as the HTTP intake stores it).
    func texts() throws -> [String: String] {
        var result: [String: String] = [:]
        for item in declarations {
            guard let equals = item.firstIndex(of: "=") else {
                throw ValidationError("--declare expects NAME=TYPE or NAME=@FILE, got '\(item)'")
            }
            let name = String(item[..<equals]).trimmingSpaces
            let text = String(item[item.index(after: equals)...]).trimmingSpaces
            guard text.hasPrefix("@") else {
                result[name] = text
                continue
            }
            let path = String(text.dropFirst())
            let json: JSONValue
            do {
                json = try JSONValue.parse(try readFile(path))
            } catch {
                throw ValidationError("--declare \(name): cannot read a JSON Schema from \(path): \(error)")
            }
            guard case .object = json else {
                throw ValidationError("--declare \(name): \(path) must hold a JSON Schema object")
            }
            result[name] = try PredicateDefinition.declarations(json: .object([(name, json)]))[name]
        }
        return result
    }

    func parsed() throws -> [String: CELType] {
        try declared().mapValues(\.type)
    }

    func declared() throws -> [String: InputDeclaration] {
        var result: [String: InputDeclaration] = [:]
        for (name, text) in try texts() {
            do {
                result[name] = try InputDeclaration.parse(text)
            } catch {
                throw ValidationError("--declare \(name): \(error)")
            }
        }
        return result
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
