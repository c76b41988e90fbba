import SpectralBytecode

extension CELType {
    /// The type the checker gives a value a schema admits.
    public init(_ schema: InputSchema) {
        let base = CELType(kind: schema.kind)
        // `null` and `dyn` already admit a null: a wrapper would say nothing more.
        if schema.nullable, base != .null, base != .dyn { self = .nullable(base) } else { self = base }
    }

    /// Fields that nest a bounded collection carry its bound (`ObjectType.Field.maxSize`).
    private init(kind: InputSchema.Kind) {
        switch kind {
        case .any: self = .dyn
        case .null: self = .null
        case .boolean: self = .bool
        case .integer: self = .int
        case .number: self = .double
        case .string: self = .string
        case .timestamp: self = .timestamp
        case .array(let element): self = .list(CELType(element))
        case .object(let object):
            let others: CELType?
            switch object.additional {
            case .unread, .forbidden: others = nil
            case .allowed(let schema): others = CELType(schema)
            }
            // No declared fields: nothing to check a selection against, so it is the
            // map every JSON object is (`additionalProperties` typing its values).
            guard !object.fields.isEmpty else { self = .map(.string, others ?? .dyn); return }
            self = .object(ObjectType(fields: object.fields.map {
                ObjectType.Field(name: $0.name, type: CELType($0.schema), required: $0.required, maxSize: $0.schema.maxSize,
                                 values: $0.schema.values, elementMaxSize: $0.schema.elementMaxSize)
            }, others: others))
        }
    }
}

extension InputSchema {
    /// The most elements or members a value can have: `maxItems` for an array,
    /// `maxProperties` for an object; for a string, the most UTF-8 bytes (`maxLength`
    /// counts code points, each at most 4 bytes), which is what string functions are
    /// priced by. Nil when unbounded.
    public var maxSize: UInt64? {
        switch kind {
        case .array: return maxItems
        case .object: return maxProperties
        case .string: return maxLength.map { $0 > UInt64.max / 4 ? .max : $0 * 4 }
        default: return nil
        }
    }

    /// For an array, its items' `maxSize`: the most bytes or elements each can have.
    public var elementMaxSize: UInt64? {
        if case .array(let element) = kind { return element.maxSize }
        return nil
    }
}
