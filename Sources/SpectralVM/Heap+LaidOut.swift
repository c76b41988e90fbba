extension Heap {
    /// A JSON object bound by schema with its declared fields laid out (`FieldLayouts`):
    /// `keys` and `values` hold the declared fields present, in field order (bit i of
    /// `present` marks field i), then the undeclared members.
    ///
    /// The binder found each declared key by its slot, so those are unique already; only
    /// the undeclared members are checked against each other, and the hash index that
    /// `makeMap` builds above `MapObject.indexThreshold` entries is built only when there
    /// are that many of them: declared fields are read through their slots.
    mutating func makeLaidOutMap(keys: [Value], values: [Value], layout: Int32, present: UInt64) throws(Trap) -> Value {
        let declared = present.nonzeroBitCount
        var map = MapObject()
        map.keys = keys
        map.values = values
        map.layout = layout
        map.present = present
        if keys.count - declared > MapObject.indexThreshold {
            var index: [MapKey: Int] = [:]
            index.reserveCapacity(keys.count)
            for (position, key) in keys.enumerated() {
                let mapKey = MapKey.of(key, in: self)
                if index[mapKey] != nil { return makeError("repeated key in map literal: \(Printer.describe(key, in: self))") }
                index[mapKey] = position
            }
            map.index = index
        } else if keys.count - declared > 1 {
            for i in (declared + 1)..<keys.count {
                for j in declared..<i where Self.sameKey(keys[i], keys[j], in: self) {
                    return makeError("repeated key in map literal: \(Printer.describe(keys[i], in: self))")
                }
            }
        }
        try charge(keys.count * 3 * MemoryLayout<Value>.stride + Self.objectOverhead)
        maps.append(map)
        return .map(UInt32(maps.count - 1))
    }

    /// Declared field `field` of a laid-out map: nil when input left it out. Reads the
    /// map's members in place (a copy of the `MapObject` would retain its buffers).
    @inline(__always)
    func declaredField(_ field: Int, inMap handle: UInt32) -> Value? {
        let h = Int(handle)
        let bit: UInt64 = 1 << UInt64(field)
        let present = maps[h].present
        guard present & bit != 0 else { return nil }
        return maps[h].values[(present & (bit &- 1)).nonzeroBitCount]
    }

    /// The layout of map `handle` (`MapObject.layout`), -1 when it has none.
    @inline(__always)
    func layout(ofMap handle: UInt32) -> Int32 { maps[Int(handle)].layout }
}
