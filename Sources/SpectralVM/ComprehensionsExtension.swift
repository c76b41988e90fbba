import SpectralBytecode

/// The runtime half of the two-variable comprehensions: `cel.@mapInsert`, which the
/// `transformMap` and `transformMapEntry` expansions accumulate with.
enum ComprehensionsExtension {
    /// SpectralSyntax's `mapInsertFunction` (the VM does not depend on the parser).
    static let mapInsertFunction = "cel.@mapInsert"

    private static let K = SignatureType.param("K")
    private static let V = SignatureType.param("V")

    /// Its name is not an identifier, so only macro expansions can call it.
    static let functions: [LibraryFunction] = [
        LibraryFunction(mapInsertFunction, [
            // transformMap: map + {key: value}.
            .global("@mapInsert_map_key_value", [.map(K, V), K, V], .map(K, V)) { heap, args throws(Trap) in
                guard case .map(let h) = args[0] else { return noSuchOverload(mapInsertFunction, args, &heap) }
                return try insert(keys: [args[1]], values: [args[2]], into: h, &heap)
            },
            // transformMapEntry: map + every entry of the produced map.
            .global("@mapInsert_map_map", [.map(K, V), .map(K, V)], .map(K, V)) { heap, args throws(Trap) in
                guard case .map(let h) = args[0], case .map(let entries) = args[1] else {
                    return noSuchOverload(mapInsertFunction, args, &heap)
                }
                let added = heap.map(entries)
                return try insert(keys: added.keys, values: added.values, into: h, &heap)
            },
        ]),
    ]

    /// A new map: the entries of map `h` followed by the new ones. A key already present
    /// is an error, as in cel-go (two entries for one key would silently drop one).
    private static func insert(keys: [Value], values: [Value], into h: UInt32, _ heap: inout Heap) throws(Trap) -> Value {
        for key in keys where heap.lookup(key, inMap: h) != nil {
            return heap.makeError("insert failed: key \(Printer.describe(key, in: heap)) already exists")
        }
        let base = heap.map(h)
        heap.chargeWork(elements: base.count + keys.count)
        return try heap.makeMap(keys: base.keys + keys, values: base.values + values)
    }
}
