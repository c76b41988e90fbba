import SpectralVM

extension Program {
    /// An estimate of the heap bytes a loaded program keeps alive (its verified module,
    /// packed code, constant pool and compiled regular expressions, including their DFA
    /// tables), for bounding a program cache by bytes rather than by count. Computed on
    /// each call in one pass over constants and patterns: read it once when caching.
    /// Evaluations add their own machine heap on top, bounded by `limits.memory`.
    /// Constant patterns are capped at `RegexCost.maxPatternBytesPerProgram` (4 MiB) per
    /// program, so a program that loads stays within roughly that plus its code.
    public var residentBytes: Int {
        executable.residentBytes + inputShapes.count * 64
    }
}
