import SpectralBytecode

/// The checker's type for an object declared by JSON Schema: its fields, each with a
/// type and whether input must carry it, and what it makes of other members.
public struct ObjectType: Hashable, Sendable, CustomStringConvertible {
    public struct Field: Hashable, Sendable {
        public var name: String
        public var type: CELType
        /// Required fields are always present: no `has()` needed. Optional ones read
        /// without `has()` fail at run time when absent, as a missing map key does.
        public var required: Bool
        /// The most elements or members its value can have (`maxItems`, `maxProperties`).
        public var maxSize: UInt64?
        /// `enum`/`const`: the only values it can hold, nil when any of its type.
        public var values: [Constant]?
        /// For an array, its items' `maxSize`: what bounds a comprehension variable over it.
        public var elementMaxSize: UInt64?

        public init(name: String, type: CELType, required: Bool, maxSize: UInt64? = nil, values: [Constant]? = nil,
                    elementMaxSize: UInt64? = nil) {
            self.name = name
            self.type = type
            self.required = required
            self.maxSize = maxSize
            self.values = values
            self.elementMaxSize = elementMaxSize
        }
    }

    /// Sorted by name.
    public var fields: [Field]
    /// The type of members the schema does not declare, when a predicate may read them
    /// (`additionalProperties: true` or a schema); nil when it may not, so selecting an
    /// undeclared field is a check error.
    public var others: CELType?

    public init(fields: [Field], others: CELType? = nil) {
        self.fields = fields.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        self.others = others
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }

    /// `{amount: double, note?: string}`: optional fields marked `?`, long objects cut.
    public var description: String {
        let shown = fields.prefix(6).map { "\($0.name)\($0.required ? "" : "?"): \($0.type)" }
        var parts = shown
        if fields.count > shown.count { parts.append("…") }
        if let others { parts.append("*: \(others)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// The declared field nearest to `name` by edit distance, when it is close enough to
    /// be a typo (at most a third of the name's length, 1 to 3 edits).
    public func suggestion(for name: String) -> String? {
        let typed = Array(name.unicodeScalars)
        guard typed.count <= 64 else { return nil }
        let limit = min(3, max(1, typed.count / 3))
        var best: (name: String, distance: Int)?
        for field in fields {
            let candidate = Array(field.name.unicodeScalars)
            guard abs(candidate.count - typed.count) <= limit else { continue }
            let distance = Self.editDistance(typed, candidate)
            if distance <= limit, distance < (best?.distance ?? .max) { best = (field.name, distance) }
        }
        return best?.name
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit
    /// (`amuont` is one edit from `amount`), over two rolling rows and the one before.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, twoBack[j - 2] + 1) }
                current[j] = d
            }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        return previous[b.count]
    }
}
