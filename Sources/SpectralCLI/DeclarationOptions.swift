import ArgumentParser
import Spectral

/// `--declare NAME=TYPE`, repeatable, shared by the commands that compile.
struct DeclarationOptions: ParsableArguments {
    @Option(name: .customLong("declare"), help: ArgumentHelp("Declare an input variable, e.g. user='map(string, dyn)'.", valueName: "NAME=TYPE"))
    var declarations: [String] = []

    /// Variable name → type text, as given (the store keeps declarations as text).
    func texts() throws -> [String: String] {
        var result: [String: String] = [:]
        for item in declarations {
            guard let equals = item.firstIndex(of: "=") else {
                throw ValidationError("--declare expects NAME=TYPE, got '\(item)'")
            }
            result[String(item[..<equals]).trimmingSpaces] = String(item[item.index(after: equals)...]).trimmingSpaces
        }
        return result
    }

    func parsed() throws -> [String: CELType] {
        var result: [String: CELType] = [:]
        for (name, text) in try texts() {
            do {
                result[name] = try CELType.parse(text)
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
