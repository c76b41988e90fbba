import Spectral

/// Inputs the agent tries a candidate on, beyond the examples, to tell a real predicate
/// from a constant one. Half are the examples with one or two values changed (the best
/// guess at "nearby" inputs, and the only way to reach into `dyn` inputs whose shape only
/// the examples show); half are built fresh from the declarations, with the strings,
/// numbers and keys the examples use mixed into generic ones.
///
/// An input declared by JSON Schema is only ever given values the schema admits, so
/// every sample passes binding: fresh ones come from `SchemaSampler` (the minimal and
/// the maximal input first, then a sweep through each field's boundary values, then
/// random mixtures), and a changed example value is replaced by one its part of the
/// schema admits.
///
/// Deterministic for a given seed, so a diagnostic can be reproduced.
public struct SampleInputGenerator {
    private var random: SplitMix64
    private var sampler: SchemaSampler
    private let declarations: [(String, InputDeclaration)]
    private let examples: [JSONValue]
    private let strings: [String]
    private let integers: [Int64]
    private let keys: [String]
    /// Fresh samples built so far: which lean the next schema sample takes.
    private var freshCount = 0
    /// Sweeps it takes for every scalar of every schema to show each boundary value.
    private let sweepLength: Int

    public init(declarations: [String: InputDeclaration], examples: [JSONValue], seed: UInt64 = 0x5EC7_2A1) {
        self.random = SplitMix64(seed: seed)
        self.declarations = declarations.sorted { $0.key < $1.key }
        self.examples = examples
        var harvest = Harvest()
        examples.forEach { harvest.collect($0, isTopLevel: true) }
        self.strings = ["", "a", "x", "US", "admin", "gold", "hello world"] + harvest.strings
        self.integers = [0, 1, -1, 2, 10, 17, 18, 21, 65, 100, 1000, 99_999, -50] + harvest.integers.flatMap { [$0 - 1, $0, $0 + 1, $0 * 2] }
        self.keys = harvest.keys.isEmpty ? ["a", "b", "name", "id"] : harvest.keys
        self.sampler = SchemaSampler(random: SplitMix64(seed: seed ^ 0x5C4E_3A),
                                     boundaries: BoundaryValues(strings: strings, integers: integers), extraKeys: keys)
        let sampler = self.sampler
        self.sweepLength = self.declarations.compactMap { $0.1.schema.map(sampler.sweepLength) }.max() ?? 0
    }

    /// Inputs declared by CEL type alone.
    public init(declarations: [String: CELType], examples: [JSONValue], seed: UInt64 = 0x5EC7_2A1) {
        self.init(declarations: declarations.mapValues { InputDeclaration(type: $0) }, examples: examples, seed: seed)
    }

    /// Up to `count` inputs: fewer only when a schema admits no value at all.
    public mutating func samples(count: Int) -> [JSONValue] {
        (0..<count).compactMap { index in
            if !examples.isEmpty, index % 2 == 0 {
                let changed = mutated(examples[random.below(examples.count)])
                if admitted(changed) { return changed }
            }
            return fresh()
        }
    }

    /// Whether each schema-declared input of a changed example is one its schema admits
    /// (an example can itself break the schema, or use a spelling judged too loosely).
    private func admitted(_ input: JSONValue) -> Bool {
        declarations.allSatisfy { name, declaration in
            guard let schema = declaration.schema else { return true }
            return input[name].map { SchemaConformance.admits($0, schema) } ?? false
        }
    }

    private mutating func fresh() -> JSONValue? {
        let lean = nextLean()
        var members: [(String, JSONValue)] = []
        for (name, declaration) in declarations {
            if let schema = declaration.schema {
                guard let member = sampler.value(schema, lean: lean) else { return nil }
                members.append((name, member))
            } else {
                members.append((name, value(of: declaration.type, depth: 0)))
            }
        }
        return .object(members)
    }

    /// The minimal input, the maximal one, a sweep long enough for every scalar to show
    /// each of its boundary values, then random mixtures.
    private mutating func nextLean() -> SchemaSampler.Lean {
        defer { freshCount += 1 }
        switch freshCount {
        case 0: return .minimal
        case 1: return .maximal
        case let index where index - 2 < sweepLength: return .sweep(index - 2)
        default: return .mixed
        }
    }

    // MARK: - Fresh values

    private mutating func value(of type: CELType, depth: Int) -> JSONValue {
        switch type {
        case .bool: return .bool(random.below(2) == 0)
        case .int: return .number(JSONNumber(pick(integers)))
        case .uint: return .number(JSONNumber(UInt64(pick(integers).magnitude)))
        case .double: return JSONNumber(Double(pick(integers)) + pick([0, 0.5, 0.25, -0.75])).map(JSONValue.number) ?? .null
        case .string: return .string(pick(strings))
        case .bytes: return .string(pick(["", "abc", "\u{1}\u{2}"]))
        case .timestamp: return .string(pick(["2024-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2030-06-15T12:30:00Z"]))
        case .duration: return .string(pick(["0s", "1s", "90s", "3600s", "86400s"]))
        case .list(let element):
            return .array((0..<random.below(4)).map { _ in value(of: element, depth: depth + 1) })
        case .map(_, let valueType):
            var members: [(String, JSONValue)] = []
            for key in keys where random.below(3) != 0 {
                members.append((key, value(of: valueType, depth: depth + 1)))
            }
            return .object(members)
        case .null: return .null
        default: return anyValue(depth: depth)
        }
    }

    /// A `dyn` value: any JSON, shallow.
    private mutating func anyValue(depth: Int) -> JSONValue {
        switch random.below(depth >= 2 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2: return .number(JSONNumber(pick(integers)))
        case 3: return .string(pick(strings))
        case 4: return .array((0..<random.below(3)).map { _ in anyValue(depth: depth + 1) })
        default: return value(of: .map(.string, .dyn), depth: depth)
        }
    }

    // MARK: - Mutations

    /// An example with one or two of its values replaced by a value of the same kind,
    /// one its schema admits where the input is declared by one.
    private mutating func mutated(_ example: JSONValue) -> JSONValue {
        var result = example
        for _ in 0..<(1 + random.below(2)) {
            let paths = result.leafPaths()
            guard !paths.isEmpty else { break }
            let path = paths[random.below(paths.count)]
            guard let old = result.value(at: path) else { continue }
            var replacement = variant(of: old)
            if let schema = schema(at: path), !SchemaConformance.admits(replacement, schema) {
                guard let fresh = sampler.value(schema, lean: .mixed) else { continue }
                replacement = fresh
            }
            result = result.replacing(at: path, with: replacement)
        }
        return result
    }

    /// The part of a schema declaration a path into the input reaches; nil for an input
    /// declared by CEL type. Members a schema leaves unread are any JSON.
    private func schema(at path: [JSONPathStep]) -> InputSchema? {
        guard case .key(let name)? = path.first,
              var schema = declarations.first(where: { $0.0 == name })?.1.schema else { return nil }
        for step in path.dropFirst() {
            switch (schema.kind, step) {
            case (.array(let element), .index): schema = element
            case (.object(let object), .key(let key)):
                if let field = object.field(named: key) {
                    schema = field.schema
                } else if case .allowed(let others) = object.additional {
                    schema = others
                } else {
                    schema = InputSchema(.any)
                }
            default: return InputSchema(.any)
            }
        }
        return schema
    }

    private mutating func variant(of value: JSONValue) -> JSONValue {
        switch value {
        case .bool(let flag): return .bool(!flag)
        case .number(let number):
            if let integer = number.int64Value {
                return .number(JSONNumber(pick([integer + 1, integer - 1, integer * 2, 0, -integer, pick(integers)])))
            }
            return JSONNumber(number.doubleValue * pick([0.5, 2, -1, 0]) + pick([0, 0.1])).map(JSONValue.number) ?? value
        case .string(let text): return .string(pick(strings.filter { $0 != text }))
        case .array(let items):
            if items.isEmpty { return .array([anyValue(depth: 2)]) }
            return random.below(2) == 0 ? .array(Array(items.dropLast())) : .array(items + [items[random.below(items.count)]])
        case .null: return anyValue(depth: 2)
        case .object: return value
        }
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[random.below(items.count)] }
}

/// What the examples contain: their strings, integers and object keys.
private struct Harvest {
    var strings: [String] = []
    var integers: [Int64] = []
    var keys: [String] = []

    mutating func collect(_ value: JSONValue, isTopLevel: Bool) {
        switch value {
        case .string(let text) where !strings.contains(text): strings.append(text)
        case .number(let number): if let integer = number.int64Value, !integers.contains(integer) { integers.append(integer) }
        case .array(let items): items.forEach { collect($0, isTopLevel: false) }
        case .object(let members):
            for (key, member) in members {
                if !isTopLevel, !keys.contains(key) { keys.append(key) }
                collect(member, isTopLevel: false)
            }
        default: break
        }
    }
}
