import Spectral

extension PredicateVersion {
    /// The version compiled to explain its decisions (`Explainer`): from its source and
    /// declarations, as it was validated when published. Compiling recurses once per
    /// nesting level: call it on a thread with a large stack (`LargeStackThread`).
    public func explainer(limits: Limits) throws -> Explainer {
        try Self.explainer(source: source, declarations: declarations, returns: returns, limits: limits)
    }

    /// An explainer for a definition not yet stored: the worker's findings are made before
    /// the version is.
    static func explainer(source: String, declarations: [String: String], returns: String, limits: Limits) throws -> Explainer {
        var environment = try Environment(declaring: declarations, limits: limits)
        environment.declarations.resultType = try CELType.parse(returns)
        return try Explainer.compile(source, in: environment)
    }
}
