/// A simple JSON document tree for non-hot callers (CLI, tests, configuration).
///
/// Objects are arrays of members so that member order and duplicate keys are
/// preserved exactly as read; lookups pick the last duplicate (see
/// `subscript(key:)`). Hot paths should consume `JSONReader` tokens directly.
///
/// `Equatable` is structural and order-sensitive: `{"a":1,"b":2}` and
/// `{"b":2,"a":1}` are different values, and numbers compare by their text.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where x.0 != y.0 || x.1 != y.1 { return false }
            return true
        default: return false
        }
    }

    /// Parses exactly one JSON document.
    ///
    /// Built on `JSONReader` with an explicit stack of open containers, so
    /// building the tree is iterative too; the depth of the result is bounded
    /// by `limits.maxDepth`, which is what keeps the recursive operations on
    /// the tree (equality, serialization, deinit) within stack limits.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, limits: limits)
        var stack: [Frame] = []
        while true {
            let token = try reader.next()
            let completed: JSONValue
            switch token {
            case .beginArray:
                stack.append(Frame(isObject: false))
                continue
            case .beginObject:
                stack.append(Frame(isObject: true))
                continue
            case .key(let key):
                // The reader guarantees keys only occur inside an open object.
                if !stack.isEmpty { stack[stack.count - 1].pendingKey = key }
                continue
            case .endArray:
                guard let frame = stack.popLast() else { continue }
                completed = .array(frame.elements)
            case .endObject:
                guard let frame = stack.popLast() else { continue }
                completed = .object(frame.members)
            case .string(let s): completed = .string(s)
            case .number(let n): completed = .number(n)
            case .bool(let b): completed = .bool(b)
            case .null: completed = .null
            case .end:
                // Unreachable in practice: `.end` follows the top-level value,
                // which is returned below as soon as it completes.
                return .null
            }
            if stack.isEmpty {
                // The top-level value is complete; let the reader check that
                // only whitespace follows.
                _ = try reader.next()
                return completed
            }
            stack[stack.count - 1].add(completed)
        }
    }

    public static func parse(_ text: String, limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    /// A container under construction during `parse`.
    private struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: [(String, JSONValue)] = []
        var pendingKey = ""

        init(isObject: Bool) { self.isObject = isObject }

        mutating func add(_ value: JSONValue) {
            if isObject {
                members.append((pendingKey, value))
            } else {
                elements.append(value)
            }
        }
    }
}
