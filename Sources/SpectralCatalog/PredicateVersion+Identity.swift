extension PredicateVersion {
    /// Whether publishing `request` would make a version that decides and logs exactly as
    /// this one: the same source, declarations, result type, mask and log sample. Tests,
    /// description and author may differ; they change no decision.
    public func isIdentical(to request: PredicateDefinition) -> Bool {
        source.utf8.elementsEqual(request.source.utf8) && declarations == request.declarations && returns == request.returns
            && mask == request.mask && logSample == request.logSample
    }
}
