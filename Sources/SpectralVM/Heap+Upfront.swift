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
