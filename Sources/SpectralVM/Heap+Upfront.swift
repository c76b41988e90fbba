import SpectralBytecode

extension Heap {
    /// Records `steps` of work (16 per fuel unit, as `chargeWork(bytes:)`) that is about
    /// to be done, and traps first if the work alone is more than the evaluation's whole
    /// fuel.
    ///
    /// Work is normally owed and subtracted at the next block head, which is fine when a
    /// step is cheap and bounded. A regular-expression match is neither: without this
    /// check, a match worth a hundred times the fuel would run to the end (117 s) and only
    /// then trap. The builtin cannot see the fuel left (the interpreter keeps it in a
    /// register), so it compares with the whole budget: an evaluation can overshoot by at
    /// most one budget's worth of work, never by more.
    mutating func chargeWorkUpfront(steps: Int) throws(Trap) {
        pendingWork &+= steps >> 4
        if UInt64(max(pendingWork, 0)) > fuelLimit { throw Trap.fuelExhausted(limit: fuelLimit) }
    }
}

extension Heap {
    /// Refuses, before building it, a result of `bytes` that cannot fit in what is left of
    /// the memory limit, and charges the work of writing it. The fuzz target `fuel_time`
    /// found `s.replace('', s)` on 64 KiB building a 4 GiB string first (the memory check
    /// only ran when the finished string reached the heap): 14 s, then out of memory.
    mutating func checkOutput(bytes: Int) throws(Trap) {
        if bytes > memoryLimit &- usedBytes { throw Trap.memoryExhausted(limit: memoryLimit) }
        try chargeWorkUpfront(steps: bytes)
    }
}
