extension ModuleDecoder {
    /// One `InputSchema` (layout in `InputSchema+Encoding.swift`). Bytes may be hostile:
    /// nesting is bounded by `DeclaredType.maxDepth` (the caller's depth included),
    /// every count is checked against the bytes left, and only the canonical encoding
    /// is accepted (known flags, fields in strictly ascending name order), so a decoded
    /// schema re-encodes to the same bytes.
    static func schema(_ r: inout ByteReader, variable i: Int, depth: Int) throws(ModuleFormatError) -> InputSchema {
        let what = "schema of variable \(i)"
        let tagOffset = r.offset
        guard depth <= DeclaredType.maxDepth else {
            throw ModuleFormatError(offset: tagOffset, kind: .typeTooDeep,
                                    message: "\(what) nests deeper than \(DeclaredType.maxDepth) levels")
        }
        let tagByte = try r.byte(what)
        guard let tag = SchemaKindTag(rawValue: tagByte) else {
            throw ModuleFormatError(offset: tagOffset, kind: .unknownTypeTag, message: "\(what) has unknown kind \(tagByte)")
        }
        let flags = try r.byte("flags of \(what)")
        var schema = InputSchema(.any, nullable: flags & SchemaFlag.nullable != 0)
        if flags & SchemaFlag.values != 0 {
            let n = try r.count("value count of \(what)", minimumSize: 1)
            var values: [Constant] = []
            values.reserveCapacity(n)
            for k in 0..<n { values.append(try scalar(&r, "value \(k) of \(what)")) }
            schema.values = values
        }
        if flags & SchemaFlag.maxItems != 0 { schema.maxItems = try r.unsigned("maxItems of \(what)") }
        if flags & SchemaFlag.maxLength != 0 { schema.maxLength = try r.unsigned("maxLength of \(what)") }
        if flags & SchemaFlag.maxProperties != 0 { schema.maxProperties = try r.unsigned("maxProperties of \(what)") }
        if flags & SchemaFlag.minimum != 0 { schema.minimum = try double(&r, "minimum of \(what)") }
        if flags & SchemaFlag.maximum != 0 { schema.maximum = try double(&r, "maximum of \(what)") }
        if flags & SchemaFlag.format != 0 {
            let at = r.offset
            let byte = try r.byte("format of \(what)")
            guard let format = InputSchema.StringFormat(rawValue: byte) else {
                throw ModuleFormatError(offset: at, kind: .invalidValue, message: "format of \(what) is \(byte), expected 1 or 2")
            }
            schema.format = format
        }
        switch tag {
        case .any: schema.kind = .any
        case .null: schema.kind = .null
        case .boolean: schema.kind = .boolean
        case .integer: schema.kind = .integer
        case .number: schema.kind = .number
        case .string: schema.kind = .string
        case .timestamp: schema.kind = .timestamp
        case .array: schema.kind = .array(try self.schema(&r, variable: i, depth: depth + 1))
        case .object:
            let n = try r.count("field count of \(what)", minimumSize: 3)
            var fields: [InputField] = []
            fields.reserveCapacity(n)
            for k in 0..<n {
                let at = r.offset
                let name = try r.string("name of field \(k) of \(what)")
                if let previous = fields.last, !previous.name.utf8.lexicographicallyPrecedes(name.utf8) {
                    throw ModuleFormatError(offset: at, kind: .invalidValue,
                                            message: "fields of \(what) are not in strictly ascending name order")
                }
                let requiredAt = r.offset
                let required: Bool
                switch try r.byte("required flag of field \(k) of \(what)") {
                case 0: required = false
                case 1: required = true
                case let b:
                    throw ModuleFormatError(offset: requiredAt, kind: .invalidValue,
                                            message: "required flag of field \(k) of \(what) is \(b), expected 0 or 1")
                }
                fields.append(InputField(name: name, schema: try self.schema(&r, variable: i, depth: depth + 1), required: required))
            }
            let at = r.offset
            let additional: InputObject.Additional
            switch AdditionalTag(rawValue: try r.byte("additional properties of \(what)")) {
            case .unread: additional = .unread
            case .forbidden: additional = .forbidden
            case .allowed: additional = .allowed(try self.schema(&r, variable: i, depth: depth + 1))
            case nil:
                throw ModuleFormatError(offset: at, kind: .invalidValue, message: "additional properties of \(what) has an unknown tag")
            }
            schema.kind = .object(InputObject(fields: fields, additional: additional))
        }
        return schema
    }

    private static func scalar(_ r: inout ByteReader, _ what: String) throws(ModuleFormatError) -> Constant {
        let at = r.offset
        let tag = try r.byte(what)
        switch ConstantTag(rawValue: tag) {
        case .null: return .null
        case .bool:
            switch try r.byte(what) {
            case 0: return .bool(false)
            case 1: return .bool(true)
            case let b: throw ModuleFormatError(offset: at + 1, kind: .invalidValue, message: "\(what) is \(b), expected 0 or 1")
            }
        case .int: return .int(try r.signed(what))
        case .uint: return .uint(try r.unsigned(what))
        case .double: return .double(try double(&r, what))
        case .string: return .string(try r.string(what))
        default:
            throw ModuleFormatError(offset: at, kind: .unknownConstantKind, message: "\(what) has kind \(tag), not a scalar")
        }
    }

    private static func double(_ r: inout ByteReader, _ what: String) throws(ModuleFormatError) -> Double {
        let raw = try r.take(8, what)
        var bits: UInt64 = 0
        for (k, b) in raw.enumerated() { bits |= UInt64(b) << (8 * UInt64(k)) }
        return Double(bitPattern: bits)
    }
}
