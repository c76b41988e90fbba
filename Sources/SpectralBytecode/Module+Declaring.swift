extension Module {
    /// This module with the variables named in `types` declared as given; the others
    /// keep their declarations, and names the module has no variable for are ignored
    /// (a declared variable the code never reads has no slot).
    ///
    /// For upgrading a stored version-1 module, whose variables all decode as `dyn`,
    /// with the declarations it was compiled against: decode, declare, encode (version 2).
    public func declaring(_ types: [String: DeclaredType]) -> Module {
        var module = self
        for (slot, name) in variables.enumerated() where slot < declarations.count {
            if let type = types[name] { module.declarations[slot] = type }
        }
        return module
    }
}
