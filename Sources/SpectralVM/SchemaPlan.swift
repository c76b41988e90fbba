import SpectralBytecode

/// A module's input schemas flattened for the binder, once, when the module loads: every
/// schema a node of plain values in one array, children and fields by index. The binder
/// walks it without copying a schema (an `InputSchema` holds an indirect enum and
/// arrays: passing one down per value cost retains, releases and 100-byte copies, and
/// made typed binding slower than untyped), and each object node carries its layout
/// (`FieldLayouts`): distinct objects numbered, equal ones sharing a number.
struct SchemaPlan: Sendable {
    struct Node: Sendable {
        enum Kind: UInt8, Sendable { case any, null, boolean, integer, number, string, timestamp, array, object }
        enum Others: UInt8, Sendable { case unread, forbidden, allowed }

        var kind: Kind
        var nullable: Bool
        var format: InputSchema.StringFormat?
        /// Undeclared members of an object (`InputObject.Additional`); `allowed` ones bind by `child`.
        var others: Others = .unread
        /// The object's layout, -1 when it is not laid out.
        var layout: Int32 = -1
        /// `enum`/`const`: index into `SchemaPlan.values`, -1 when any value of the kind goes.
        var values: Int32 = -1
        /// An array's elements, or an object's allowed undeclared members: a node index.
        var child: Int32 = -1
        /// An object's declared fields: `SchemaPlan.fields[fieldStart ..< fieldStart + fieldCount]`,
        /// sorted by name as `InputObject.fields` is.
        var fieldStart: Int32 = 0
        var fieldCount: Int32 = 0
        /// An object's required fields as bits by field index (the first 64 fields).
        var requiredMask: UInt64 = 0
        var maxLength: UInt64?
        var maxItems: UInt64?
        var maxProperties: UInt64?
        var minimum: Double?
        var maximum: Double?

        /// The schema's name for what it expects, for messages.
        var expected: String {
            let name: String
            switch kind {
            case .any: name = "any value"
            case .null: name = "null"
            case .boolean: name = "boolean"
            case .integer: name = "integer"
            case .number: name = "number"
            case .string: name = "string"
            case .timestamp: name = "date-time string"
            case .array: name = "array"
            case .object: name = "object"
            }
            return nullable ? name + " or null" : name
        }
    }

    struct Field: Sendable {
        var name: String
        var node: Int32
        var required: Bool
    }

    /// Where a field's name sits in `nameBytes`, parallel to `fields`: the direct binder
    /// compares an input key with it in place.
    struct NameSpan: Sendable {
        var start: Int32
        var count: Int32
        /// The name has nothing JSON escapes (a quote, a backslash, a control character), so
        /// its bytes are exactly how a key naming it is written.
        var plain: Bool
    }

    private(set) var nodes: [Node] = []
    private(set) var fields: [Field] = []
    private(set) var nameSpans: [NameSpan] = []
    /// Every field's name in UTF-8, one after another.
    private(set) var nameBytes: [UInt8] = []
    private(set) var values: [[Constant]] = []
    /// The root node of each variable declared by schema.
    private(set) var roots: [String: Int32] = [:]
    /// The root node of each variable slot (`Module.variables`), -1 when it has no schema.
    private(set) var slotRoots: [Int32] = []
    /// The distinct laid-out objects, by layout number.
    private(set) var layouts: [InputObject] = []

    init() {}

    /// Flattens the schemas among `shapes`. Objects up to `FieldLayouts.maxFields` fields
    /// get a layout while layouts × `nameCount` stays within `FieldLayouts.maxEntries`.
    init(_ shapes: [String: InputShape], variables: [String], nameCount: Int) {
        var numbers: [InputObject: Int32] = [:]
        // Sorted, so that layouts are numbered the same on every load.
        for (name, shape) in shapes.sorted(by: { $0.key < $1.key }) {
            guard case .schema(let schema) = shape else { continue }
            roots[name] = add(schema, numbers: &numbers, nameCount: max(nameCount, 1))
        }
        slotRoots = variables.map { roots[$0] ?? -1 }
    }

    private mutating func add(_ schema: InputSchema, numbers: inout [InputObject: Int32], nameCount: Int) -> Int32 {
        let index = Int32(nodes.count)
        var node = Node(kind: .any, nullable: schema.nullable, format: schema.format, maxLength: schema.maxLength,
                        maxItems: schema.maxItems, maxProperties: schema.maxProperties, minimum: schema.minimum,
                        maximum: schema.maximum)
        if let accepted = schema.values {
            node.values = Int32(values.count)
            values.append(accepted)
        }
        nodes.append(node)
        switch schema.kind {
        case .any: node.kind = .any
        case .null: node.kind = .null
        case .boolean: node.kind = .boolean
        case .integer: node.kind = .integer
        case .number: node.kind = .number
        case .string: node.kind = .string
        case .timestamp: node.kind = .timestamp
        case .array(let element):
            node.kind = .array
            node.child = add(element, numbers: &numbers, nameCount: nameCount)
        case .object(let object):
            node.kind = .object
            // The fields take consecutive slots first; their schemas' nodes follow.
            node.fieldStart = Int32(fields.count)
            node.fieldCount = Int32(object.fields.count)
            for field in object.fields {
                fields.append(Field(name: field.name, node: -1, required: field.required))
                let plain = !field.name.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
                nameSpans.append(NameSpan(start: Int32(nameBytes.count), count: Int32(field.name.utf8.count), plain: plain))
                nameBytes.append(contentsOf: field.name.utf8)
            }
            for (index, field) in object.fields.prefix(64).enumerated() where field.required {
                node.requiredMask |= 1 << UInt64(index)
            }
            for (offset, field) in object.fields.enumerated() {
                fields[Int(node.fieldStart) + offset].node = add(field.schema, numbers: &numbers, nameCount: nameCount)
            }
            switch object.additional {
            case .unread: node.others = .unread
            case .forbidden: node.others = .forbidden
            case .allowed(let others):
                node.others = .allowed
                node.child = add(others, numbers: &numbers, nameCount: nameCount)
            }
            node.layout = layout(of: object, numbers: &numbers, nameCount: nameCount)
        }
        nodes[Int(index)] = node
        return index
    }

    private mutating func layout(of object: InputObject, numbers: inout [InputObject: Int32], nameCount: Int) -> Int32 {
        if let known = numbers[object] { return known }
        guard object.fields.count <= FieldLayouts.maxFields,
              (layouts.count + 1) * nameCount <= FieldLayouts.maxEntries else { return -1 }
        let number = Int32(layouts.count)
        layouts.append(object)
        numbers[object] = number
        return number
    }

    var residentBytes: Int {
        var bytes = nodes.count * MemoryLayout<Node>.stride + 96
        for field in fields { bytes += MemoryLayout<Field>.stride + field.name.utf8.count + 16 }
        bytes += nameSpans.count * MemoryLayout<NameSpan>.stride + nameBytes.count
        for accepted in values { bytes += accepted.count * MemoryLayout<Constant>.stride + 32 }
        return bytes + roots.count * 64
    }
}
