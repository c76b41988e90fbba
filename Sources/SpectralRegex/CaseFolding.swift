/// Simple (one scalar to one scalar) case-equivalence classes, derived once from the
/// standard library's case mappings.
///
/// RE2 folds with "orbits": `k`, `K` and KELVIN SIGN (U+212A) all match each other under
/// `(?i)`. We rebuild those orbits by joining every scalar with its single-scalar
/// lowercase, uppercase and titlecase mappings (multi-scalar mappings such as `ß` → "SS"
/// are not simple folds and are skipped), then taking connected components.
enum CaseFolding {
    struct Entry: Sendable {
        var scalar: UInt32
        /// The other members of the scalar's orbit (never includes `scalar` itself).
        var orbit: [UInt32]
    }

    /// Every scalar that has case-equivalents, sorted by scalar value.
    static let orbitList: [Entry] = build()

    /// Lookup by scalar for literals.
    static let orbits: [UInt32: [UInt32]] = {
        var table: [UInt32: [UInt32]] = [:]
        for entry in orbitList { table[entry.scalar] = entry.orbit }
        return table
    }()

    /// All scalars case-equivalent to `scalar`, including itself.
    static func equivalents(of scalar: UInt32) -> [UInt32] {
        [scalar] + (orbits[scalar] ?? [])
    }

    private static func build() -> [Entry] {
        // Union-find over scalar values that take part in any simple case mapping.
        var parent: [UInt32: UInt32] = [:]
        func find(_ x: UInt32) -> UInt32 {
            var root = x
            while let p = parent[root], p != root { root = p }
            return root
        }
        func union(_ a: UInt32, _ b: UInt32) {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            if ra != rb { parent[ra] = rb }
        }
        func single(_ s: String) -> UInt32? {
            var it = s.unicodeScalars.makeIterator()
            guard let first = it.next(), it.next() == nil else { return nil }
            return first.value
        }
        for value in UInt32(0)...CharacterClass.maxScalar {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped else { continue }
            let props = scalar.properties
            for mapped in [props.lowercaseMapping, props.uppercaseMapping, props.titlecaseMapping] {
                if let m = single(mapped), m != value { union(value, m) }
            }
        }
        var components: [UInt32: [UInt32]] = [:]
        for key in parent.keys { components[find(key), default: []].append(key) }
        var entries: [Entry] = []
        for members in components.values where members.count > 1 {
            for m in members {
                entries.append(Entry(scalar: m, orbit: members.filter { $0 != m }.sorted()))
            }
        }
        entries.sort { $0.scalar < $1.scalar }
        return entries
    }
}
