extension Program {
    /// About how many bytes a loaded program keeps: its code and constants, and 4 KiB per
    /// compiled constant pattern (a provisional figure until the regex engine reports the
    /// size of what it compiled). For bounding caches of programs, not for accounting.
    public var residentBytes: Int {
        let module = executable.module
        let constants = module.constants.reduce(0) { total, constant in
            if case .string(let text) = constant { return total + 16 + text.utf8.count }
            return total + 16
        }
        return 256 + module.code.count * 8 + constants + executable.compiledPatternCount * 4096
    }
}
