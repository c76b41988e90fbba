import SpectralBytecode

/// Declared fields by slot. Each distinct object a module's schemas declare gets a
/// layout number when the module is loaded (`SchemaPlan`); the binder stamps it on every
/// map it binds for that object (`MapObject.layout`), declared fields first in field
/// order. For each
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

    /// `MapObject.present` of a map that has each of a layout's `count` fields.
    @inline(__always)
    static func everyField(of count: Int) -> UInt64 {
        count == maxFields ? .max : (1 << UInt64(count)) &- 1
    }
    /// Bounds the table (layouts × names): past it, objects bind as plain maps.
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

    /// The table for the laid-out objects of a module's schemas (`SchemaPlan.layouts`,
    /// by layout number) and the names its code selects.
    init(layouts: [InputObject], names: [String]) {
        guard !layouts.isEmpty, !names.isEmpty else { self = .none; return }
        var table = [Int8](repeating: -1, count: layouts.count * names.count)
        for (layout, object) in layouts.enumerated() {
            for (field, declared) in object.fields.enumerated() {
                for (name, text) in names.enumerated() where StringBytes.equal(text, declared.name) {
                    table[layout * names.count + name] = Int8(field)
                }
            }
        }
        self.init(fieldIndex: table, nameCount: names.count, count: layouts.count)
    }
}
