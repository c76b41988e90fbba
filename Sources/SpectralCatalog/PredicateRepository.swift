/// Published predicate versions and the active pointer of each name.
public protocol PredicateRepository: Sendable {
    func predicates() async throws -> [PredicateSummary]
    /// Every version of a predicate, oldest first; empty for an unknown name.
    func versions(of name: String) async throws -> [PredicateVersion]
    /// One version, or the active one when `version` is nil; nil when there is none.
    func predicate(_ name: String, version: Int?) async throws -> PredicateVersion?
    /// Makes `version` the active version of `name`.
    func activate(_ name: String, version: Int) async throws
    /// Returns to the version that was active before the current one; returns it.
    func rollback(_ name: String) async throws -> Int
}
