/// The binary form of an `InputSchema` inside the `declarations` section (format
/// version 4, declared-type tag `schema`), in pre-order:
///
///     schema  = kind: UInt8 | flags: UInt8 | [values] | [maxItems ULEB128]
///               | [maxLength ULEB128] | [maxProperties ULEB128] | [minimum f64 LE]
///               | [maximum f64 LE] | [format UInt8] | payload
///     flags   = bit 0 nullable, then one bit per optional part, in the order above
///     values  = count, then per value a `ConstantTag` and its data (scalars only)
///     payload = array: the element schema
///               object: field count, per field (sorted by name) its name string,
///               a required byte (0/1) and its schema; then the additional-properties
///               byte (0 unread, 1 forbidden, 2 allowed, followed by its schema)
enum SchemaKindTag: UInt8 {
    case any = 0, null, boolean, integer, number, string, timestamp, array, object
}

enum SchemaFlag {
    static let nullable: UInt8 = 1 << 0
    static let values: UInt8 = 1 << 1
    static let maxItems: UInt8 = 1 << 2
    static let maxLength: UInt8 = 1 << 3
    static let maxProperties: UInt8 = 1 << 4
    static let minimum: UInt8 = 1 << 5
    static let maximum: UInt8 = 1 << 6
    static let format: UInt8 = 1 << 7
}

enum AdditionalTag: UInt8 {
    case unread = 0, forbidden, allowed
}

extension InputSchema {
    func encode(into p: inout [UInt8]) {
        let tag: SchemaKindTag
        switch kind {
        case .any: tag = .any
        case .null: tag = .null
        case .boolean: tag = .boolean
        case .integer: tag = .integer
        case .number: tag = .number
        case .string: tag = .string
        case .timestamp: tag = .timestamp
        case .array: tag = .array
        case .object: tag = .object
        }
        p.append(tag.rawValue)
        var flags: UInt8 = nullable ? SchemaFlag.nullable : 0
        if values != nil { flags |= SchemaFlag.values }
        if maxItems != nil { flags |= SchemaFlag.maxItems }
        if maxLength != nil { flags |= SchemaFlag.maxLength }
        if maxProperties != nil { flags |= SchemaFlag.maxProperties }
        if minimum != nil { flags |= SchemaFlag.minimum }
        if maximum != nil { flags |= SchemaFlag.maximum }
        if format != nil { flags |= SchemaFlag.format }
        p.append(flags)
        if let values {
            LEB128.appendUnsigned(UInt64(values.count), to: &p)
            for value in values { Self.encodeScalar(value, into: &p) }
        }
        for count in [maxItems, maxLength, maxProperties] { if let count { LEB128.appendUnsigned(count, to: &p) } }
        for bound in [minimum, maximum] {
            guard let bits = bound?.bitPattern else { continue }
            for i in 0..<8 { p.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        }
        if let format { p.append(format.rawValue) }
        switch kind {
        case .array(let element): element.encode(into: &p)
        case .object(let object):
            LEB128.appendUnsigned(UInt64(object.fields.count), to: &p)
            for field in object.fields {
                LEB128.appendUnsigned(UInt64(field.name.utf8.count), to: &p)
                p.append(contentsOf: field.name.utf8)
                p.append(field.required ? 1 : 0)
                field.schema.encode(into: &p)
            }
            switch object.additional {
            case .unread: p.append(AdditionalTag.unread.rawValue)
            case .forbidden: p.append(AdditionalTag.forbidden.rawValue)
            case .allowed(let schema):
                p.append(AdditionalTag.allowed.rawValue)
                schema.encode(into: &p)
            }
        default: break
        }
    }

    /// Non-scalar values are not part of a schema (the verifier refuses them); they are
    /// written as null so that encoding never fails, as for every unverifiable module.
    private static func encodeScalar(_ value: Constant, into p: inout [UInt8]) {
        switch value {
        case .bool(let b):
            p.append(ConstantTag.bool.rawValue)
            p.append(b ? 1 : 0)
        case .int(let i):
            p.append(ConstantTag.int.rawValue)
            LEB128.appendSigned(i, to: &p)
        case .uint(let u):
            p.append(ConstantTag.uint.rawValue)
            LEB128.appendUnsigned(u, to: &p)
        case .double(let d):
            p.append(ConstantTag.double.rawValue)
            for i in 0..<8 { p.append(UInt8(truncatingIfNeeded: d.bitPattern >> (8 * UInt64(i)))) }
        case .string(let s):
            p.append(ConstantTag.string.rawValue)
            LEB128.appendUnsigned(UInt64(s.utf8.count), to: &p)
            p.append(contentsOf: s.utf8)
        default:
            p.append(ConstantTag.null.rawValue)
        }
    }
}
