import SpectralBytecode

/// Declared fields by slot. Each distinct object a module's schemas declare gets a
/// layout number when the module is loaded; the binder stamps it on every map it binds
/// for that object (`MapObject.layout`), declared fields first in field order. For each
/// layout and each name the code selects (`Module.names`), this table holds the name's
/// field index, so `select` and `has` on a laid-out map find a declared field with one
/// table read and a bit count, comparing no key. Everything else (an undeclared member,
/// a map from JSON without schema, a map literal) is looked up by key as before.
///
/// The table is keyed by the map's own layout, not by what the checker inferred, so it
/// is right whatever value reaches the instruction.
public struct FieldLayouts: Sendable {
    /// `fieldIndex[layout * nameCount + name]`: the field index, or -1 when the layout
    /// declares no such field.
    private let fieldIndex: [Int8]
    private let nameCount: Int
    public let count: Int

    /// A layout holds at most this many fields: the bits of `MapObject.present`.
    public static let maxFields = 64
    /// Bounds the table (layouts × names): past it, objects bind unlaid-out.
    static let maxEntries = 1 << 16

    static let none = FieldLayouts(fieldIndex: [], nameCount: 0, count: 0)

    private init(fieldIndex: [Int8], nameCount: Int, count: Int) {
        self.fieldIndex = fieldIndex
        self.nameCount = nameCount
        self.count = count
    }

    var residentBytes: Int { fieldIndex.count + 48 }

    /// The field index of name `name` in layout `layout`, nil when it declares none.
    @inline(__always)
    func field(named name: Int, in layout: Int32) -> Int? {
        let index = fieldIndex[Int(layout) &* nameCount &+ name]
        return index < 0 ? nil : Int(index)
    }

    /// Numbers the distinct objects of `shapes`' schemas, stamping each with its layout
    /// (equal objects share one: same fields, same slots), and builds the table for
    /// `names`. Objects with more than `maxFields` fields, or past `maxEntries`, stay
    /// unstamped.
    static func assign(_ shapes: inout [String: InputShape], names: [String]) -> FieldLayouts {
        var numbering = Numbering(nameCount: max(names.count, 1))
        for (name, shape) in shapes {
            guard case .schema(let schema) = shape else { continue }
            shapes[name] = .schema(numbering.stamped(schema))
        }
        guard !numbering.objects.isEmpty, !names.isEmpty else { return .none }
        var table = [Int8](repeating: -1, count: numbering.objects.count * names.count)
        for (layout, object) in numbering.objects.enumerated() {
            for (field, declared) in object.fields.enumerated() {
                for (name, text) in names.enumerated() where StringBytes.equal(text, declared.name) {
                    table[layout * names.count + name] = Int8(field)
                }
            }
        }
        return FieldLayouts(fieldIndex: table, nameCount: names.count, count: numbering.objects.count)
    }

    private struct Numbering {
        let nameCount: Int
        var objects: [InputObject] = []
        var numbers: [InputObject: Int32] = [:]

        mutating func stamped(_ schema: InputSchema) -> InputSchema {
            var schema = schema
            switch schema.kind {
            case .array(let element):
                schema.kind = .array(stamped(element))
            case .object(var object):
                for index in object.fields.indices { object.fields[index].schema = stamped(object.fields[index].schema) }
                if case .allowed(let others) = object.additional { object.additional = .allowed(stamped(others)) }
                object.layout = number(of: object)
                schema.kind = .object(object)
            default:
                break
            }
            return schema
        }

        private mutating func number(of object: InputObject) -> Int32 {
            if let known = numbers[object] { return known }
            guard object.fields.count <= FieldLayouts.maxFields,
                  (objects.count + 1) * nameCount <= FieldLayouts.maxEntries else { return -1 }
            let number = Int32(objects.count)
            objects.append(object)
            numbers[object] = number
            return number
        }
    }
}
