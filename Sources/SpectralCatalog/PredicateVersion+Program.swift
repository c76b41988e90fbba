import Spectral

extension PredicateVersion {
    /// The stored version as a runnable, verified program. Modules of format version 2 and
    /// later describe their own inputs; a version-1 module (published before format 2, or
    /// by a previous release still running during a deploy) is given the declarations kept
    /// in its row, so it binds its input exactly as it did when it was published.
    public func program(limits: Limits) throws -> Program {
        guard ModuleDecoder.formatVersion(of: bytecode) == 1 else { return try Program(bytes: bytecode, limits: limits) }
        let upgraded = try ModuleDecoder.decode(bytecode).declaring(parsing: declarations)
        return try Program(module: upgraded, limits: limits)
    }
}
