import Spectral

/// Builds inputs a JSON Schema declaration admits, leaning each one toward an edge of
/// what the schema allows: the smallest input (optional fields absent, arrays empty,
/// nullable values null, the lowest bounds), the largest (every optional field and
/// extra member present, arrays at `maxItems`, the highest bounds), a sweep through
/// every scalar's boundary values (so each enum member and bound is met), and random
/// mixtures. A predicate that decides the same over all of them ignores what the
/// schema says can vary.
///
/// Every value built is checked against the schema (`SchemaConformance`); a part that
/// cannot be built (a schema no value meets) leaves its optional field out, or makes
/// the whole value nil when the field is required.
struct SchemaSampler {
    /// What one sample leans toward.
    enum Lean {
        case minimal
        case maximal
        /// Each scalar takes its boundary value at this index (modulo their number), so
        /// consecutive sweeps meet every enum member and bound.
        case sweep(Int)
        case mixed
    }

    /// Arrays generated at their maximal length hold at most this many elements at the
    /// root, half as many one level down, and so on (never fewer than two): `maxItems`
    /// in the thousands would make every sample large without telling anything more.
    static let longestArray = 32

    private var random: SplitMix64
    private let boundaries: BoundaryValues
    /// Names tried for members beyond the declared fields (`additionalProperties`).
    private let extraKeys: [String]

    init(random: SplitMix64, boundaries: BoundaryValues, extraKeys: [String]) {
        self.random = random
        self.boundaries = boundaries
        self.extraKeys = extraKeys
    }

    /// How many sweeps it takes for every scalar to show each of its boundary values.
    func sweepLength(_ schema: InputSchema) -> Int {
        switch schema.kind {
        case .array(let element): return sweepLength(element)
        case .object(let object):
            var longest = 1
            for field in object.fields { longest = max(longest, sweepLength(field.schema)) }
            if case .allowed(let others) = object.additional { longest = max(longest, sweepLength(others)) }
            return longest
        default: return max(1, boundaries.values(for: schema).count)
        }
    }

    mutating func value(_ schema: InputSchema, lean: Lean, depth: Int = 0) -> JSONValue? {
        let built = build(schema, lean: lean, depth: depth)
        guard let built, SchemaConformance.admits(built, schema) else { return nil }
        return built
    }

    private mutating func build(_ schema: InputSchema, lean: Lean, depth: Int) -> JSONValue? {
        switch schema.kind {
        case .array(let element):
            if schema.nullable, prefersNull(lean) { return .null }
            return array(schema, element: element, lean: lean, depth: depth)
        case .object(let object):
            if schema.nullable, prefersNull(lean) { return .null }
            return self.object(object, schema: schema, lean: lean, depth: depth)
        case .any where schema.values == nil:
            return anyValue(depth: depth)
        default:
            let values = boundaries.values(for: schema)
            guard !values.isEmpty else { return nil }
            switch lean {
            case .minimal: return values[0]
            case .maximal: return values[values.count - 1]
            case .sweep(let index): return values[index % values.count]
            case .mixed: return values[random.below(values.count)]
            }
        }
    }

    private mutating func prefersNull(_ lean: Lean) -> Bool {
        switch lean {
        case .minimal: return true
        case .maximal: return false
        case .sweep(let index): return index % 4 == 1
        case .mixed: return random.below(4) == 0
        }
    }

    private mutating func array(_ schema: InputSchema, element: InputSchema, lean: Lean, depth: Int) -> JSONValue {
        let cap = max(2, Self.longestArray >> depth)
        let longest = Int(min(schema.maxItems ?? UInt64(cap), UInt64(cap)))
        let count: Int
        switch lean {
        case .minimal: count = 0
        case .maximal: count = longest
        case .sweep, .mixed: count = random.below(min(longest, 3) + 1)
        }
        var items: [JSONValue] = []
        for index in 0..<count {
            // Elements of a sweep step through the boundary values from the sweep's place.
            let elementLean: Lean
            if case .sweep(let start) = lean { elementLean = .sweep(start + index) } else { elementLean = lean }
            guard let item = value(element, lean: elementLean, depth: depth + 1) else { break }
            items.append(item)
        }
        return .array(items)
    }

    private mutating func object(_ object: InputObject, schema: InputSchema, lean: Lean, depth: Int) -> JSONValue? {
        var members: [(String, JSONValue)] = []
        var room = schema.maxProperties.map { Int(min($0, UInt64(Int.max))) } ?? .max
        for field in object.fields where field.required {
            guard room > 0, let member = value(field.schema, lean: lean, depth: depth + 1) else { return nil }
            members.append((field.name, member))
            room -= 1
        }
        for field in object.fields where !field.required {
            guard room > 0, includesOptional(lean), let member = value(field.schema, lean: lean, depth: depth + 1) else { continue }
            members.append((field.name, member))
            room -= 1
        }
        for key in extraKeys(object, lean: lean) {
            guard room > 0 else { break }
            let extra: JSONValue?
            switch object.additional {
            case .forbidden: extra = nil
            // Accepted by binding, though no predicate can read it: still worth showing.
            case .unread: extra = anyValue(depth: depth + 1)
            case .allowed(let others): extra = value(others, lean: lean, depth: depth + 1)
            }
            if let extra {
                members.append((key, extra))
                room -= 1
            }
        }
        return .object(members)
    }

    private mutating func includesOptional(_ lean: Lean) -> Bool {
        switch lean {
        case .minimal: return false
        case .maximal: return true
        case .sweep, .mixed: return random.below(2) == 0
        }
    }

    /// Names for undeclared members: none for a closed object or a minimal sample, all
    /// of them for a maximal one, a few otherwise. Never a declared field's name.
    private mutating func extraKeys(_ object: InputObject, lean: Lean) -> [String] {
        if case .forbidden = object.additional { return [] }
        let free = extraKeys.filter { object.field(named: $0) == nil }
        switch lean {
        case .minimal: return []
        case .maximal: return free
        case .sweep, .mixed: return free.filter { _ in random.below(3) == 0 }
        }
    }

    /// A value of no declared type: any JSON, shallow.
    mutating func anyValue(depth: Int) -> JSONValue {
        switch random.below(depth >= 2 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2: return .number(JSONNumber(boundaries.integers[random.below(boundaries.integers.count)]))
        case 3: return .string(boundaries.strings[random.below(boundaries.strings.count)])
        case 4: return .array((0..<random.below(3)).map { _ in anyValue(depth: depth + 1) })
        default:
            return .object(extraKeys.filter { _ in random.below(3) != 0 }.map { ($0, anyValue(depth: depth + 1)) })
        }
    }
}
