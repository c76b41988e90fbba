extension Heap {
    /// At most this many spare arrays are kept, each with room for at most
    /// `maxSpareCapacity` values: 64 KiB a machine at most, held between evaluations (a
    /// program's `MachinePool` keeps up to 64 machines). The workload's inputs need 21
    /// arrays of at most 20 values.
    static let maxSpares = 128
    static let maxSpareCapacity = 32

    /// A new array holding `elements`, for a list's or map's storage: a spare one when
    /// there is one, so that binding the same shape of input again allocates nothing.
    /// Spares only save allocations: what is charged depends on the elements alone, never
    /// on which storage holds them, so fuel and memory stay deterministic.
    @inline(__always)
    mutating func array(copying elements: UnsafeBufferPointer<Value>) -> [Value] {
        guard var array = spareArrays.popLast() else { return Array(elements) }
        array.append(contentsOf: elements)
        return array
    }

    /// An empty array with room for `count` values, a spare one when there is one.
    @inline(__always)
    mutating func emptyArray(reserving count: Int) -> [Value] {
        var array = spareArrays.popLast() ?? []
        array.reserveCapacity(count)
        return array
    }

    /// Keeps the storage of a list or map a reset drops, unless it is large or enough are kept.
    @inline(__always)
    mutating func keepSpare(_ array: consuming [Value]) {
        guard array.capacity <= Self.maxSpareCapacity, array.capacity > 0,
              spareArrays.count < Self.maxSpares else { return }
        // Owned, so emptied in place (a borrowed copy would be shared, and reallocated).
        array.removeAll(keepingCapacity: true)
        spareArrays.append(array)
    }
}
