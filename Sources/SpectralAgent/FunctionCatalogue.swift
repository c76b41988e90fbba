import Spectral

/// Every function a predicate may call, one signature per line, rendered from the
/// checker's own declarations: the prompt cannot drift from what the checker accepts.
enum FunctionCatalogue {
    static let text: String = {
        let declarations = Declarations()
        var lines: [String] = []
        for name in declarations.functions.keys.sorted() where isCallable(name) {
            for overload in declarations.functions[name]!.overloads {
                lines.append(signature(name, overload))
            }
        }
        return lines.joined(separator: "\n")
    }()

    /// Operators (`_+_`, `@in`, `!_`) are taught by the grammar, not listed; internal
    /// functions of macro expansions (`cel.@mapInsert`) cannot be written at all.
    private static func isCallable(_ name: String) -> Bool {
        guard let first = name.first else { return false }
        return first.isLetter && !name.contains("@")
    }

    private static func signature(_ name: String, _ overload: Overload) -> String {
        var params = overload.params.map(typeName)
        var call = name
        if overload.receiver, !params.isEmpty {
            call = "\(params.removeFirst()).\(name)"
        }
        return "\(call)(\(params.joined(separator: ", "))) -> \(typeName(overload.result))"
    }

    /// Type names as a predicate author writes them.
    private static func typeName(_ type: CELType) -> String {
        switch type {
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .list(let element): return "list(\(typeName(element)))"
        case .map(let key, let value): return "map(\(typeName(key)), \(typeName(value)))"
        case .type(let inner): return "type(\(typeName(inner)))"
        default: return type.description
        }
    }
}
