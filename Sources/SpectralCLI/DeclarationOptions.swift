import ArgumentParser
import Spectral

/// `--declare NAME=TYPE`, repeatable, shared by the commands that compile.
struct DeclarationOptions: ParsableArguments {
    @Option(name: .customLong("declare"), help: ArgumentHelp("Declare an input variable, e.g. user='map(string, dyn)'.", valueName: "NAME=TYPE"))
    var declarations: [String] = []

    func parsed() throws -> [String: CELType] {
        var result: [String: CELType] = [:]
        for item in declarations {
            guard let equals = item.firstIndex(of: "=") else {
                throw ValidationError("--declare expects NAME=TYPE, got '\(item)'")
            }
            let name = String(item[..<equals]).trimmingSpaces
            do {
                result[name] = try CELType.parse(String(item[item.index(after: equals)...]))
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
