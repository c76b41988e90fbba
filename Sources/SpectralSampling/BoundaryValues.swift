import Spectral

/// The values a scalar schema is sampled from: its edges (`minimum` and `maximum`, the
/// empty string and one at `maxLength`, every `enum` member, null when it is nullable)
/// and ordinary values between them, with the strings and integers the examples use
/// mixed in, since a predicate usually compares against those. Ordered from the
/// smallest to the largest, so that "the minimal input" and "the maximal input" are
/// the first and the last; every value is one the schema admits.
struct BoundaryValues {
    /// The longest string generated for an unbounded or very long `maxLength`: a longer
    /// one shows a predicate nothing new and costs every evaluation.
    static let longestString = 256

    let strings: [String]
    let integers: [Int64]

    func values(for schema: InputSchema) -> [JSONValue] {
        var values: [JSONValue]
        if let members = schema.values {
            values = members.compactMap(\.jsonLiteral)
        } else {
            switch schema.kind {
            case .null: values = [.null]
            case .boolean: values = [.bool(false), .bool(true)]
            case .integer: values = integerValues(schema).map { .number(JSONNumber($0)) }
            case .number: values = numberValues(schema).compactMap { JSONNumber($0).map(JSONValue.number) }
            case .string: values = stringValues(schema).map(JSONValue.string)
            case .timestamp: values = Self.dateTimes.map(JSONValue.string)
            case .any, .array, .object: values = []
            }
        }
        if schema.nullable, !values.contains(.null) { values.insert(.null, at: 0) }
        return values.filter { SchemaConformance.admits($0, schema) }
    }

    /// The first and last instants CEL represents, a leap day, an offset and a fraction.
    static let dateTimes = [
        "0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2024-02-29T12:00:00Z",
        "2024-06-15T08:30:00+02:00", "2030-01-01T00:00:00.5Z", "9999-12-31T23:59:59Z",
    ]

    static let ipv4 = ["0.0.0.0", "10.0.0.1", "127.0.0.1", "192.168.1.1", "203.0.113.7", "255.255.255.255"]
    static let ipv6 = ["::", "::1", "2001:db8::1", "fe80::1", "2001:db8:0:0:0:0:0:ff",
                       "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]

    private func integerValues(_ schema: InputSchema) -> [Int64] {
        let low = schema.minimum.flatMap { Int64(exactly: $0.rounded(.up)) }
        let high = schema.maximum.flatMap { Int64(exactly: $0.rounded(.down)) }
        var candidates = integers
        for edge in [low, high].compactMap({ $0 }) {
            candidates += [edge, edge &+ 1, edge &- 1]
        }
        if let low, let high { candidates.append(low / 2 + high / 2) }
        return Array(Set(candidates)).sorted().filter { value in
            (low.map { value >= $0 } ?? true) && (high.map { value <= $0 } ?? true)
        }
    }

    private func numberValues(_ schema: InputSchema) -> [Double] {
        var candidates = integers.map(Double.init) + [0.5, 0.25, -0.75, 99.99]
        for edge in [schema.minimum, schema.maximum].compactMap({ $0 }) {
            candidates += [edge, edge + 0.5, edge - 0.5]
        }
        if let low = schema.minimum, let high = schema.maximum { candidates.append(low / 2 + high / 2) }
        return Array(Set(candidates)).sorted()
    }

    private func stringValues(_ schema: InputSchema) -> [String] {
        var candidates: [String]
        switch schema.format {
        case .ipv4: candidates = Self.ipv4 + strings.filter(InputSchema.StringFormat.ipv4.admits)
        case .ipv6: candidates = Self.ipv6 + strings.filter(InputSchema.StringFormat.ipv6.admits)
        case nil:
            let longest = Int(min(schema.maxLength ?? UInt64(Self.longestString), UInt64(Self.longestString)))
            candidates = strings + [String(repeating: "x", count: longest)]
        }
        var seen: Set<String> = []
        let unique = candidates.filter { seen.insert($0).inserted }
        return unique.sorted { ($0.unicodeScalars.count, $0) < ($1.unicodeScalars.count, $1) }
    }
}
