import Foundation
import Spectral

/// One predicate of the workload (`Fixtures/bench/predicates.json` at the repository root).
public struct WorkloadPredicate: Sendable {
    public var name: String
    public var expr: String
    /// The input as the engine reads it (integers → int, other numbers → double, ...).
    public var input: [String: CELValue]
    /// The input as JSON bytes, what a decide request carries.
    public var inputJSON: [UInt8]
    public var expected: CELValue
    /// Each input variable's JSON Schema as text (the fixture's `schema` member), the way an
    /// authoring request declares it and the store keeps it; nil when the entry has none.
    public var schemas: [String: String]?

    /// Each top-level input key declared with its precise type, following the input convention.
    public var declarations: [String: String] {
        input.mapValues { value in
            switch value {
            case .int: return "int"
            case .uint: return "uint"
            case .double: return "double"
            case .string: return "string"
            case .bool: return "bool"
            case .list: return "list(dyn)"
            case .map: return "map(string, dyn)"
            default: return "dyn"
            }
        }
    }

    /// Untyped: the CEL types above. Typed: the JSON Schemas, through the same
    /// `Environment(declaring:)` the server compiles authored declarations with.
    public func environment(typed: Bool = false) -> Environment {
        guard let texts = typed ? schemas : declarations else { fatalError("workload entry \(name) has no schema") }
        do {
            return try Environment(declaring: texts)
        } catch {
            fatalError("bad \(typed ? "schema " : "")declarations for \(name): \(error)")
        }
    }

    public func compiled(typed: Bool = false) -> Program {
        do {
            return try compile(expr, in: environment(typed: typed))
        } catch {
            fatalError("predicate \(name)\(typed ? " (typed)" : "") does not compile:\n\(error.rendered())")
        }
    }
}

public enum Workload {
    /// The workload file: `SPECTRAL_BENCH_FIXTURE` if set, else the copy in the repository.
    public static var fixtureURL: URL {
        if let path = ProcessInfo.processInfo.environment["SPECTRAL_BENCH_FIXTURE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // <root>/Benchmarks/Sources/BenchSupport/Workload.swift → <root>
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/bench/predicates.json")
    }

    /// Loads the workload with the engine's own JSON input convention (so ints stay ints
    /// and doubles doubles exactly as a decide request would bind them). The JSON input
    /// bytes are the fixture's own text for each input, re-serialized by SpectralJSON
    /// (numbers keep their literal text).
    public static func load() -> [WorkloadPredicate] {
        let url = fixtureURL
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("cannot read workload \(url.path)")
        }
        let items: [JSONValue]
        do {
            guard let array = try JSONValue.parse(Array(data)).arrayValue else { fatalError("workload must be a JSON array") }
            items = array
        } catch {
            fatalError("malformed workload \(url.path): \(error)")
        }
        return items.map { item in
            guard let name = item["name"]?.stringValue, let expr = item["expr"]?.stringValue,
                  let inputJSON = item["input"], let expectedJSON = item["expected"] else {
                fatalError("workload entry lacks name, expr, input or expected: \(item.serialized())")
            }
            let inputBytes = inputJSON.serializedBytes()
            var schemas: [String: String]?
            if let members = item["schema"]?.objectValue {
                schemas = Dictionary(members.map { ($0.0, $0.1.serialized()) }, uniquingKeysWith: { $1 })
            }
            do {
                return WorkloadPredicate(name: name, expr: expr, input: try JSONInput.bindings(inputBytes),
                                         inputJSON: inputBytes, expected: try JSONInput.value(expectedJSON),
                                         schemas: schemas)
            } catch {
                fatalError("workload entry \(name): \(error)")
            }
        }
    }
}

extension CELValue {
    /// The member `key` of a map value, if any.
    public subscript(key: String) -> CELValue? {
        guard case .map(let entries) = self else { return nil }
        for entry in entries { if case .string(let k) = entry.key, k == key { return entry.value } }
        return nil
    }
}

public func benchFailure(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    exit(1)
}
