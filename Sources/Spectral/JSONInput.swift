import SpectralJSON
import SpectralTime

/// Converts JSON input into CEL values, following the input convention: an integer
/// without fraction or exponent is an `int` (a `uint` above the int range), any other
/// number a `double`, objects `map(string, dyn)`, arrays `list(dyn)` — unless a
/// declaration says otherwise (a declared `double` accepts `250`, a declared
/// `timestamp` accepts an RFC 3339 string).
public enum JSONInput {
    public struct BindingError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses a JSON object of variable bindings.
    public static func bindings(_ bytes: [UInt8], declarations: [String: CELType] = [:],
                                limits: JSONLimits = JSONLimits()) throws(BindingError) -> [String: CELValue] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes, limits: limits)
        } catch {
            throw BindingError(description: "malformed JSON input: \(error)")
        }
        guard case .object(let members) = document else {
            throw BindingError(description: "input must be a JSON object of variable bindings")
        }
        var result: [String: CELValue] = [:]
        for (name, json) in members {
            guard result[name] == nil else { throw BindingError(description: "duplicate input variable '\(name)'") }
            result[name] = try value(json, as: declarations[name] ?? .dyn, path: name)
        }
        return result
    }

    public static func value(_ json: JSONValue, as type: CELType = .dyn, path: String = "input") throws(BindingError) -> CELValue {
        switch (json, type) {
        case (.null, .bool), (.null, .int), (.null, .uint), (.null, .double), (.null, .string), (.null, .bytes),
             (.null, .timestamp), (.null, .duration), (.null, .list), (.null, .map), (.null, .object):
            // As the binder: a declared type admits no null unless it says so.
            throw mismatch(path, type.description, json)
        case (.null, _): return .null
        case (_, .nullable(let inner)): return try value(json, as: inner, path: path)
        case (.object(let members), .object(let object)):
            var entries: [(key: CELValue, value: CELValue)] = []
            var seen = Set<String>()
            for (key, member) in members {
                guard seen.insert(key).inserted else {
                    throw BindingError(description: "\(path): duplicate key '\(key)'")
                }
                let memberType = object.field(key)?.type ?? object.others ?? .dyn
                entries.append((.string(key), try value(member, as: memberType, path: "\(path).\(key)")))
            }
            return .map(entries)
        case (.bool(let b), .bool), (.bool(let b), .dyn): return .bool(b)
        case (.number(let n), .double): return .double(n.doubleValue)
        case (.number(let n), .uint):
            guard n.isInteger, let u = n.uint64Value else { throw mismatch(path, "uint", json) }
            return .uint(u)
        case (.number(let n), .int):
            guard n.isInteger, let i = n.int64Value else { throw mismatch(path, "int", json) }
            return .int(i)
        case (.number(let n), .dyn):
            if n.isInteger {
                if let i = n.int64Value { return .int(i) }
                if let u = n.uint64Value { return .uint(u) }
            }
            return .double(n.doubleValue)
        case (.string(let s), .string), (.string(let s), .dyn): return .string(s)
        case (.string(let s), .timestamp):
            guard let t = try? Timestamp.parse(s) else { throw mismatch(path, "timestamp", json) }
            return .timestamp(seconds: t.seconds, nanos: t.nanos)
        case (.string(let s), .duration):
            guard let d = try? SpectralTime.Duration.parse(s) else { throw mismatch(path, "duration", json) }
            return .duration(seconds: d.seconds, nanos: d.nanos)
        case (.string(let s), .bytes): return .bytes(Array(s.utf8))
        case (.array(let items), .list), (.array(let items), .dyn):
            let elementType: CELType
            if case .list(let e) = type { elementType = e } else { elementType = .dyn }
            var values: [CELValue] = []
            values.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                values.append(try value(item, as: elementType, path: "\(path)[\(i)]"))
            }
            return .list(values)
        case (.object(let members), .map), (.object(let members), .dyn):
            let elementType: CELType
            if case .map(_, let v) = type { elementType = v } else { elementType = .dyn }
            var entries: [(key: CELValue, value: CELValue)] = []
            var seen = Set<String>()
            for (key, member) in members {
                guard seen.insert(key).inserted else {
                    throw BindingError(description: "\(path): duplicate key '\(key)'")
                }
                entries.append((.string(key), try value(member, as: elementType, path: "\(path).\(key)")))
            }
            return .map(entries)
        default:
            throw mismatch(path, type.description, json)
        }
    }

    private static func mismatch(_ path: String, _ expected: String, _ json: JSONValue) -> BindingError {
        BindingError(description: "\(path): expected \(expected), found \(json.serialized())")
    }
}
