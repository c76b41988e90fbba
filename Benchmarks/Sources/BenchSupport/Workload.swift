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

    public func environment() -> Environment {
        do {
            return try Environment(declaring: declarations)
        } catch {
            fatalError("bad declarations for \(name): \(error)")
        }
    }

    public func compiled() -> Program {
        do {
            return try compile(expr, in: environment())
        } catch {
            fatalError("predicate \(name) does not compile:\n\(error.rendered())")
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
    /// and doubles doubles exactly as a decide request would bind them).
    public static func load() -> [WorkloadPredicate] {
        let url = fixtureURL
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("cannot read workload \(url.path)")
        }
        let wrapped = Array("{\"workload\": ".utf8) + Array(data) + Array("}".utf8)
        let document: [String: CELValue]
        do {
            document = try JSONInput.bindings(wrapped)
        } catch {
            fatalError("malformed workload \(url.path): \(error)")
        }
        guard case .list(let items)? = document["workload"] else { fatalError("workload must be a JSON array") }
        return items.map { item in
            guard case .string(let name)? = item["name"], case .string(let expr)? = item["expr"],
                  case .map(let entries)? = item["input"], let expected = item["expected"] else {
                fatalError("workload entry lacks name, expr, input or expected: \(item)")
            }
            var input: [String: CELValue] = [:]
            for entry in entries {
                guard case .string(let key) = entry.key else { fatalError("non-string input key") }
                input[key] = entry.value
            }
            return WorkloadPredicate(name: name, expr: expr, input: input,
                                     inputJSON: Array(JSONText.serialize(item["input"]!).utf8), expected: expected)
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

/// Writes a CEL value back as JSON text, keeping ints as integers and doubles with a fraction.
public enum JSONText {
    public static func serialize(_ value: CELValue) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    static func write(_ value: CELValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .uint(let u): out += String(u)
        case .double(let d):
            precondition(d.isFinite, "non-finite double in input")
            var text = "\(d)"
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { text += ".0" }
            out += text
        case .string(let s): writeString(s, to: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        case .map(let entries):
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += "," }
                guard case .string(let key) = entry.key else { fatalError("non-string map key in input") }
                writeString(key, to: &out)
                out += ":"
                write(entry.value, to: &out)
            }
            out += "}"
        default:
            fatalError("value not representable in JSON input: \(value)")
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Fails loudly: prints to standard error and exits non-zero.
public func benchFailure(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    exit(1)
}
