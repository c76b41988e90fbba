extension Heap {
    /// A JSON object bound by schema with its declared fields laid out (`FieldLayouts`):
    /// `keys` and `values` hold the declared fields present, in field order (bit i of
    /// `present` marks field i), then the undeclared members.
    ///
    /// The binder found each declared key by its slot, so those are unique already; only
    /// the undeclared members are checked against each other, and the hash index that
    /// `makeMap` builds above `MapObject.indexThreshold` entries is built only when there
    /// are that many of them: declared fields are read through their slots.
    mutating func makeLaidOutMap(keys: consuming [Value], values: consuming [Value], layout: Int32, present: UInt64) throws(Trap) -> Value {
        try storeMap(keys: consume keys, values: consume values, uniqueFrom: present.nonzeroBitCount, layout: layout, present: present)
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
