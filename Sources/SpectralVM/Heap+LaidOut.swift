extension Heap {
    /// A JSON object bound by schema with its declared fields laid out (`FieldLayouts`):
    /// `keys` and `values` hold the declared fields present, in field order (bit i of
    /// `present` marks field i), then the undeclared members. The values are copied to the
    /// end of `laidOutValues`, where `select` reads them (`MapObject.valueStart`).
    ///
    /// The binder found each declared key by its slot, so those are unique already; only
    /// the undeclared members are checked against each other, and the hash index that
    /// `makeMap` builds above `MapObject.indexThreshold` entries is built only when there
    /// are that many of them: declared fields are read through their slots.
    mutating func makeLaidOutMap(keys: consuming [Value], values: consuming [Value], layout: Int32, present: UInt64) throws(Trap) -> Value {
        try storeMap(keys: consume keys, values: consume values, uniqueFrom: present.nonzeroBitCount, layout: layout, present: present)
    }

    /// A complete map (`MapObject.isComplete`) of `layout`, every field's value given in
    /// field order, copied to the end of `laidOutValues`; no keys are stored. Charged as
    /// `makeLaidOutMap` charges the same map, so fuel and memory do not depend on which way
    /// it was made.
    mutating func makeCompleteMap(of layout: Int32, values: UnsafeBufferPointer<Value>) throws(Trap) -> Value {
        try charge(values.count * 3 * MemoryLayout<Value>.stride + Self.objectOverhead)
        let present = FieldLayouts.everyField(of: values.count)
        let start = laidOutValues.count
        // One by one: a few values, for which `append(contentsOf:)`'s generic path costs more.
        for value in values { laidOutValues.append(value) }
        maps.append(MapObject(layout: layout, present: present, keys: [], index: nil, valueStart: start, isComplete: true))
        return .map(UInt32(maps.count - 1))
    }

    /// The key of map `handle`'s entry `position`, nil past its last: read in place, for
    /// iterating a map (a copy of its key array would retain and release it each step).
    @inline(__always)
    func key(at position: Int, inMap handle: UInt32) -> Value? {
        let h = Int(handle)
        guard position < maps[h].count else { return nil }
        return maps[h].isComplete ? layoutKeys[Int(maps[h].layout)][position] : maps[h].keys[position]
    }

    /// The value of map `handle`'s entry `position` (which it has), read in place.
    @inline(__always)
    func value(at position: Int, inMap handle: UInt32) -> Value {
        let h = Int(handle)
        return maps[h].layout >= 0 ? laidOutValues[Int(maps[h].valueStart) + position] : maps[h].values[position]
    }

    /// Calls `body` with map `handle`'s keys, borrowed in place (stored, or its layout's).
    @inline(__always)
    func withKeys<R>(ofMap handle: Int, _ body: (UnsafeBufferPointer<Value>) -> R) -> R {
        maps[handle].isComplete ? layoutKeys[Int(maps[handle].layout)].withUnsafeBufferPointer(body)
                                : maps[handle].keys.withUnsafeBufferPointer(body)
    }

    /// Declared field `field` of a laid-out map: nil when input left it out. Reads the
    /// map's members in place (a copy of the `MapObject` would retain its buffers).
    /// Only for a laid-out map: its values are in `laidOutValues`.
    @inline(__always)
    func declaredField(_ field: Int, inMap handle: UInt32) -> Value? {
        let h = Int(handle)
        let bit: UInt64 = 1 << UInt64(field)
        let present = maps[h].present
        guard present & bit != 0 else { return nil }
        return laidOutValues[Int(maps[h].valueStart) &+ (present & (bit &- 1)).nonzeroBitCount]
    }

    /// The layout of map `handle` (`MapObject.layout`), -1 when it has none.
    @inline(__always)
    func layout(ofMap handle: UInt32) -> Int32 { maps[Int(handle)].layout }
}
