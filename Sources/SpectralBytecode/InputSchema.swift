/// A structured input declared by JSON Schema, in checked form: the subset Spectral
/// supports (type, properties, required, additionalProperties, items, enum/const,
/// maxItems, maxLength, maxProperties, minimum/maximum, format), with local `$ref`s
/// already expanded. The compiler builds it from schema text (`InputSchema.parse`)
/// and types the predicate by it; the binder validates input against it.
///
/// It lives in the bytecode layer because a module carries it (a module describes
/// its own input), and this layer depends on nothing.
public struct InputSchema: Hashable, Sendable {
    /// What JSON value the schema admits, before the constraints below.
    public indirect enum Kind: Hashable, Sendable {
        /// No `type`: any JSON value, bound as CEL binds untyped JSON.
        case any
        case null
        case boolean
        /// A JSON number without fraction: CEL `int`.
        case integer
        /// Any JSON number: CEL `double`, even when written `5`.
        case number
        case string
        /// A string with `format: date-time` (RFC 3339): CEL `timestamp`.
        case timestamp
        case array(InputSchema)
        case object(InputObject)
    }

    public var kind: Kind
    /// `type: [T, "null"]`: null is accepted besides `kind`.
    public var nullable: Bool
    /// `enum`, or `const` as a single value: the only values accepted. Scalars only
    /// (`.null`, `.bool`, `.int`, `.uint`, `.double`, `.string`).
    public var values: [Constant]?
    public var maxItems: UInt64?
    /// In Unicode code points, as CEL's `size` counts a string.
    public var maxLength: UInt64?
    public var maxProperties: UInt64?
    public var minimum: Double?
    public var maximum: Double?
    public var format: StringFormat?

    public enum StringFormat: UInt8, Hashable, Sendable {
        case ipv4 = 1
        case ipv6 = 2
    }

    public init(_ kind: Kind, nullable: Bool = false, values: [Constant]? = nil, maxItems: UInt64? = nil,
                maxLength: UInt64? = nil, maxProperties: UInt64? = nil, minimum: Double? = nil,
                maximum: Double? = nil, format: StringFormat? = nil) {
        self.kind = kind
        self.nullable = nullable
        self.values = values
        self.maxItems = maxItems
        self.maxLength = maxLength
        self.maxProperties = maxProperties
        self.minimum = minimum
        self.maximum = maximum
        self.format = format
    }

    /// Schemas nested inside each other (arrays, objects, additional properties):
    /// 1 for a scalar. Bounded by `DeclaredType.maxDepth` like every declared type.
    public var depth: Int {
        switch kind {
        case .array(let element): return 1 + element.depth
        case .object(let object):
            var deepest = 0
            for field in object.fields { deepest = max(deepest, field.schema.depth) }
            if case .allowed(let extra) = object.additional { deepest = max(deepest, extra.depth) }
            return 1 + deepest
        default: return 1
        }
    }
}

/// `type: object`: its declared fields and what it does with the others.
public struct InputObject: Hashable, Sendable {
    /// Sorted by name, names unique: one canonical form per schema.
    public var fields: [InputField]
    public var additional: Additional

    /// `additionalProperties`. Absent differs from `true` in what the checker allows:
    /// as in Kubernetes' structural schemas, a predicate may only read the fields the
    /// schema declares (so `txn.amout` is a check error), while input carrying other
    /// members is still accepted, as JSON Schema says.
    public indirect enum Additional: Hashable, Sendable {
        /// Absent: other members are accepted by binding, not readable by the predicate.
        case unread
        /// `false`: other members are an input error.
        case forbidden
        /// `true` (an `InputSchema` of kind `.any`) or a schema: other members are
        /// accepted, validated by the schema, and readable as its type.
        case allowed(InputSchema)
    }

    public init(fields: [InputField], additional: Additional = .unread) {
        self.fields = fields.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        self.additional = additional
    }

    public func field(named name: String) -> InputField? {
        fields.first { $0.name == name }
    }
}

public struct InputField: Hashable, Sendable {
    public var name: String
    public var schema: InputSchema
    /// Named in `required`: input without it is an input error, and the predicate
    /// may read it without `has()`.
    public var required: Bool

    public init(name: String, schema: InputSchema, required: Bool) {
        self.name = name
        self.schema = schema
        self.required = required
    }
}
