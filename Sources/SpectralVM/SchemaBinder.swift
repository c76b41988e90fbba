import SpectralBytecode
import SpectralJSON
import SpectralTime

/// Binds a value declared by JSON Schema while validating it, in the binder's single
/// pass: each value is bound as the checker typed it (an `integer` as `int`, a `number`
/// as `double` even when written `5`, a `date-time` as a timestamp), and each way it
/// breaks the schema is recorded with its JSON pointer (`/txn/amount: expected number,
/// got string`). Binding goes on after a violation so that one answer lists several,
/// up to `maxViolations`; then it stops.
struct SchemaBinder {
    static let maxViolations = 5
    private(set) var violations: [InputViolation] = []
    /// The module's schemas, flattened (`Executable.schemaPlan`).
    private let plan: SchemaPlan
    /// Each declared field's name in the heap (`Machine.fieldNames`), the keys of laid-out maps.
    private let fieldNames: [Value]

    init(plan: SchemaPlan, fieldNames: [Value]) {
        self.plan = plan
        self.fieldNames = fieldNames
    }

    /// The root node of variable `name`'s schema, nil when it is not declared by one.
    func root(of name: String) -> Int32? { plan.roots.isEmpty ? nil : plan.roots[name] }

    /// Thrown once `maxViolations` are recorded, carrying them all.
    private func full() -> JSONBinder.BindingError {
        JSONBinder.BindingError(violations: violations)
    }

    /// Records a violation at `path`; the value it stands in for is never read (binding
    /// fails at the end), so `.null` takes its place. `withoutValue` is the message for
    /// when `message` quotes the value (see `InputViolation`).
    private mutating func violation(_ path: [JSONBinder.PathComponent], _ message: String, withoutValue: String? = nil) throws -> Value {
        violations.append(InputViolation(pointer: Self.pointer(path), problem: message, withoutValue: withoutValue))
        if violations.count >= Self.maxViolations { throw full() }
        return .null
    }

    /// Reads the value starting with `first` as plan node `index` says.
    mutating func read(_ reader: inout JSONReader, first: JSONToken, node index: Int32, heap: inout Heap,
                       path: inout [JSONBinder.PathComponent], scratch: inout [Value]) throws -> Value {
        let node = plan.nodes[Int(index)]
        switch first {
        case .null:
            guard node.nullable || node.kind == .null || node.kind == .any else {
                return try violation(path, "expected \(node.expected), got null")
            }
            return try checked(.null, .null, node, path)
        case .bool(let b) where node.kind == .boolean || node.kind == .any:
            return try checked(.bool(b), .bool(b), node, path)
        case .number(let n) where node.kind == .integer:
            guard let i = n.int64Value else {
                return try violation(path, n.isInteger ? "integer \(n) is out of range" : "expected integer, got number \(n)",
                                     withoutValue: n.isInteger ? "integer out of range" : "expected integer, got number")
            }
            return try checked(.int(i), .int(i), node, path, number: Double(i), text: n)
        case .number(let n) where node.kind == .number:
            let d = n.doubleValue
            return try checked(.double(d), .double(d), node, path, number: d, text: n)
        case .number(let n) where node.kind == .any:
            if n.isInteger, let i = n.int64Value { return try checked(.int(i), .int(i), node, path) }
            if n.isInteger, let u = n.uint64Value { return try checked(.uint(u), .uint(u), node, path) }
            return try checked(.double(n.doubleValue), .double(n.doubleValue), node, path)
        case .string(let s) where node.kind == .string || node.kind == .any:
            // A string has no more code points than bytes: most are within the limit at a glance.
            if let limit = node.maxLength, s.utf8.count > limit {
                let length = s.unicodeScalars.count
                if length > limit { return try violation(path, "\(length) characters, at most \(limit) allowed") }
            }
            if let format = node.format, !format.admits(s) {
                let kind = format == .ipv4 ? "IPv4" : "IPv6"
                return try violation(path, "\(Self.quoted(s)) is not an \(kind) address", withoutValue: "not an \(kind) address")
            }
            guard try passesValues(.string(s), node, path) else { return .null }
            return try heap.makeString(s)
        case .string(let s) where node.kind == .timestamp:
            guard let t = try? Timestamp.parse(s) else {
                return try violation(path, "expected an RFC 3339 date-time, got \(Self.quoted(s))",
                                     withoutValue: "expected an RFC 3339 date-time")
            }
            return .timestamp(seconds: t.seconds, nanos: t.nanos)
        case .beginArray where node.kind == .array:
            return try array(&reader, node, heap: &heap, path: &path, scratch: &scratch)
        case .beginObject where node.kind == .object:
            return try object(&reader, node, heap: &heap, path: &path, scratch: &scratch)
        case .beginArray where node.kind == .any, .beginObject where node.kind == .any:
            if node.values >= 0 {
                try JSONBinder.skip(&reader, first: first)
                return try violation(path, "\(first.kindName) is not one of \(Self.listed(plan.values[Int(node.values)]))")
            }
            return try JSONBinder.readValue(&reader, first: first, shape: .dyn, heap: &heap, path: &path, scratch: &scratch)
        default:
            try JSONBinder.skip(&reader, first: first)
            return try violation(path, "expected \(node.expected), got \(first.kindName)")
        }
    }

    private mutating func array(_ reader: inout JSONReader, _ node: SchemaPlan.Node, heap: inout Heap,
                                path: inout [JSONBinder.PathComponent], scratch: inout [Value]) throws -> Value {
        let start = scratch.count
        defer { scratch.removeSubrange(start...) }
        var token = try reader.next()
        while true {
            if case .endArray = token { break }
            path.append(.index(scratch.count - start))
            scratch.append(try read(&reader, first: token, node: node.child, heap: &heap, path: &path, scratch: &scratch))
            path.removeLast()
            token = try reader.next()
        }
        let count = scratch.count - start
        if let limit = node.maxItems, count > limit {
            return try violation(path, "\(count) items, at most \(limit) allowed")
        }
        return try heap.makeList(Array(scratch[start...]))
    }

    /// An object: its declared fields bound by their schemas, the others as
    /// `additionalProperties` says. Up to `FieldLayouts.maxFields` fields, the map is
    /// laid out (declared fields first, in field order, marked in a bit set: see
    /// `Heap.makeLaidOutMap`), which is also how a repeated or missing field is found
    /// without comparing keys; larger objects are bound as plain maps.
    private mutating func object(_ reader: inout JSONReader, _ node: SchemaPlan.Node, heap: inout Heap,
                                 path: inout [JSONBinder.PathComponent], scratch: inout [Value]) throws -> Value {
        let fieldStart = Int(node.fieldStart), fieldCount = Int(node.fieldCount)
        let laidOut = fieldCount <= FieldLayouts.maxFields
        let start = scratch.count
        defer { scratch.removeSubrange(start...) }
        // Laid out: declared fields' values by field index, then undeclared key/value
        // pairs. Otherwise: key/value pairs in input order, and `seen` for `required`.
        if laidOut { scratch.append(contentsOf: repeatElement(Value.null, count: fieldCount)) }
        var present: UInt64 = 0
        var seen = laidOut ? [] : [Bool](repeating: false, count: fieldCount)
        var members = 0
        while true {
            let token = try reader.next()
            guard case .key(let key) = token else { break }
            members += 1
            path.append(.key(key))
            defer { path.removeLast() }
            let first = try reader.next()
            if let index = field(named: key, from: fieldStart, count: fieldCount) {
                let value = try read(&reader, first: first, node: plan.fields[fieldStart + index].node, heap: &heap,
                                     path: &path, scratch: &scratch)
                if laidOut {
                    let bit: UInt64 = 1 << UInt64(index)
                    if present & bit != 0 { _ = try violation(path, "repeated member"); continue }
                    present |= bit
                    scratch[start + index] = value
                    continue
                }
                seen[index] = true
                scratch.append(try heap.makeString(key))
                scratch.append(value)
                continue
            }
            let value: Value
            switch node.others {
            case .forbidden:
                try JSONBinder.skip(&reader, first: first)
                _ = try violation(path, "unknown field (the schema allows no others)")
                continue
            case .unread:
                value = try JSONBinder.readValue(&reader, first: first, shape: .dyn, heap: &heap, path: &path, scratch: &scratch)
            case .allowed:
                value = try read(&reader, first: first, node: node.child, heap: &heap, path: &path, scratch: &scratch)
            }
            scratch.append(try heap.makeString(key))
            scratch.append(value)
        }
        for index in 0..<fieldCount where plan.fields[fieldStart + index].required {
            let found = laidOut ? present & (1 << UInt64(index)) != 0 : seen[index]
            if !found { _ = try violation(path, "missing required field '\(plan.fields[fieldStart + index].name)'") }
        }
        if let limit = node.maxProperties, members > limit {
            _ = try violation(path, "\(members) members, at most \(limit) allowed")
        }
        // Undeclared members alternate key, value from here.
        let others = laidOut ? start + fieldCount : start
        var keys: [Value] = [], values: [Value] = []
        keys.reserveCapacity(present.nonzeroBitCount + (scratch.count - others) / 2)
        values.reserveCapacity(keys.capacity)
        if laidOut {
            for index in 0..<fieldCount where present & (1 << UInt64(index)) != 0 {
                keys.append(fieldNames[fieldStart + index])
                values.append(scratch[start + index])
            }
        }
        for position in stride(from: others, to: scratch.count, by: 2) {
            keys.append(scratch[position])
            values.append(scratch[position + 1])
        }
        let map = laidOut
            ? try heap.makeLaidOutMap(keys: keys, values: values, layout: node.layout, present: present)
            : try heap.makeMap(keys: keys, values: values)
        if case .error(let h) = map { return try violation(path, heap.errorMessage(h), withoutValue: "not a valid map (a repeated key)") }
        return map
    }

    /// `value` when it meets the node's bounds and values, else a recorded violation.
    /// `text` is the number as written, for messages.
    private mutating func checked(_ value: Value, _ constant: Constant, _ node: SchemaPlan.Node,
                                  _ path: [JSONBinder.PathComponent], number: Double? = nil, text: JSONNumber? = nil) throws -> Value {
        if let number {
            if let minimum = node.minimum, number < minimum {
                return try violation(path, "\(text?.description ?? "") is below the minimum \(Self.shown(minimum))",
                                     withoutValue: "below the minimum \(Self.shown(minimum))")
            }
            if let maximum = node.maximum, number > maximum {
                return try violation(path, "\(text?.description ?? "") is above the maximum \(Self.shown(maximum))",
                                     withoutValue: "above the maximum \(Self.shown(maximum))")
            }
        }
        return try passesValues(constant, node, path) ? value : .null
    }

    private mutating func passesValues(_ constant: Constant, _ node: SchemaPlan.Node, _ path: [JSONBinder.PathComponent]) throws -> Bool {
        guard node.values >= 0 else { return true }
        let accepted = plan.values[Int(node.values)]
        guard !accepted.contains(where: { Self.same(constant, $0) }) else { return true }
        _ = try violation(path, "\(Self.rendered(constant)) is not one of \(Self.listed(accepted))",
                          withoutValue: "not one of the allowed values")
        return false
    }

    /// JSON equality of scalars: numbers by value (`1` is `1.0`).
    static func same(_ a: Constant, _ b: Constant) -> Bool {
        switch (a, b) {
        case (.int(let x), .uint(let y)), (.uint(let y), .int(let x)): return x >= 0 && UInt64(x) == y
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y && y < 0x1p63
        case (.uint(let x), .double(let y)), (.double(let y), .uint(let x)): return Double(x) == y && y < 0x1p64
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)): return StringBytes.equal(x, y)
        default: return a == b
        }
    }

    /// The index among an object's fields of the one named `key`. A few fields are
    /// scanned (a length check rejects most at once); more are searched by halves, by
    /// UTF-8 bytes as they are sorted.
    private func field(named key: String, from start: Int, count: Int) -> Int? {
        if count <= 8 {
            for index in 0..<count where StringBytes.equal(plan.fields[start + index].name, key) { return index }
            return nil
        }
        return StringBytes.withBytes(of: key) { wanted in
            var low = 0, high = count
            while low < high {
                let middle = (low + high) / 2
                let order = StringBytes.withBytes(of: plan.fields[start + middle].name) { StringBytes.compare($0, wanted) }
                if order == 0 { return middle }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }

    /// A JSON pointer (RFC 6901): `/txn/items/0/qty`.
    static func pointer(_ path: [JSONBinder.PathComponent]) -> String {
        var out = ""
        for component in path {
            switch component {
            case .key(let key):
                out += "/" + key.replacing("~", with: "~0").replacing("/", with: "~1")
            case .index(let i): out += "/\(i)"
            }
        }
        return out.isEmpty ? "/" : out
    }

    private static func quoted(_ text: String) -> String {
        let cut = text.unicodeScalars.count > 64 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(64))) + "…" : text
        var writer = JSONWriter()
        writer.writeString(cut)
        return writer.string
    }

    private static func rendered(_ constant: Constant) -> String {
        switch constant {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d): return shown(d)
        case .string(let s): return quoted(s)
        default: return "a value"
        }
    }

    private static func listed(_ values: [Constant]) -> String {
        let shown = values.prefix(10).map(rendered).joined(separator: ", ")
        return values.count > 10 ? shown + ", …" : shown
    }

    /// A bound as written: `10`, not `10.0`, when it is integral.
    private static func shown(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 0x1p53 ? String(Int64(d)) : String(d)
    }
}

extension JSONToken {
    /// The JSON Schema name of the value a token starts.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let n): return n.isInteger ? "integer" : "number"
        case .string: return "string"
        case .beginArray: return "array"
        case .beginObject: return "object"
        default: return "nothing"
        }
    }
}
