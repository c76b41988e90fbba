import Spectral

/// Whether a JSON value meets an input schema. The sample generator filters what it makes
/// through this, so a value it lets pass is one the binder accepts. String formats and
/// date-times are judged by the binder's own rules (`InputSchema.StringFormat.admits`,
/// `InputSchema.admitsDateTime`); the structure is walked here, over a JSON tree.
///
/// The binder (`SchemaBinder` in SpectralVM) stays the authority: the agent's tests bind
/// every generated sample through a compiled program to hold the two together.
enum SchemaConformance {
    static func admits(_ value: JSONValue, _ schema: InputSchema) -> Bool {
        if case .null = value {
            guard schema.nullable || schema.kind == .null || schema.kind == .any else { return false }
            return admitsValue(value, schema)
        }
        switch (value, schema.kind) {
        case (.bool, .boolean), (.bool, .any), (.null, _):
            return admitsValue(value, schema)
        case (.number(let number), .integer):
            guard number.isInteger, let integer = number.int64Value else { return false }
            return inBounds(Double(integer), schema) && admitsValue(value, schema)
        case (.number(let number), .number):
            return inBounds(number.doubleValue, schema) && admitsValue(value, schema)
        case (.number, .any):
            return admitsValue(value, schema)
        case (.string(let text), .string), (.string(let text), .any):
            if let limit = schema.maxLength, UInt64(text.unicodeScalars.count) > limit { return false }
            if let format = schema.format, !format.admits(text) { return false }
            return admitsValue(value, schema)
        case (.string(let text), .timestamp):
            return InputSchema.admitsDateTime(text)
        case (.array(let items), .array(let element)):
            if let limit = schema.maxItems, UInt64(items.count) > limit { return false }
            return items.allSatisfy { admits($0, element) }
        case (.object(let members), .object(let object)):
            return admitsObject(members, object, schema)
        case (.array, .any), (.object, .any):
            return schema.values == nil
        default:
            return false
        }
    }

    private static func admitsObject(_ members: [(String, JSONValue)], _ object: InputObject, _ schema: InputSchema) -> Bool {
        if let limit = schema.maxProperties, UInt64(members.count) > limit { return false }
        // Duplicate keys are an input error in the binder.
        guard Set(members.map(\.0)).count == members.count else { return false }
        for field in object.fields where field.required && !members.contains(where: { $0.0 == field.name }) {
            return false
        }
        for (key, member) in members {
            if let field = object.field(named: key) {
                guard admits(member, field.schema) else { return false }
                continue
            }
            switch object.additional {
            case .forbidden: return false
            case .unread: continue
            case .allowed(let others): guard admits(member, others) else { return false }
            }
        }
        return true
    }

    private static func inBounds(_ number: Double, _ schema: InputSchema) -> Bool {
        if let minimum = schema.minimum, number < minimum { return false }
        if let maximum = schema.maximum, number > maximum { return false }
        return true
    }

    /// `enum`/`const`: the value is one of them, numbers compared by value.
    private static func admitsValue(_ value: JSONValue, _ schema: InputSchema) -> Bool {
        guard let values = schema.values else { return true }
        return values.contains { constant in
            switch (value, constant) {
            case (.null, .null): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
            case (.number(let n), .int(let i)): return n.int64Value == i
            case (.number(let n), .uint(let u)): return n.uint64Value == u
            case (.number(let n), .double(let d)): return n.doubleValue == d
            default: return false
            }
        }
    }
}
