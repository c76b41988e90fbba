import Foundation

/// Published predicate versions and the active pointer of each name.
public protocol PredicateRepository: Sendable {
    func predicates() async throws -> [PredicateSummary]
    /// Every version of a predicate, oldest first; empty for an unknown name.
    func versions(of name: String) async throws -> [PredicateVersion]
    /// One version, or the active one when `version` is nil; nil when there is none.
    func predicate(_ name: String, version: Int?) async throws -> PredicateVersion?
    /// Makes `version` the active version of `name`, recording who did (`actor`: an API
    /// key's id, `jwt:<subject>`, `cli`; nil when nobody is known).
    func activate(_ name: String, version: Int, by actor: String?) async throws
    /// Returns to the version that was active before the current one; returns it.
    func rollback(_ name: String, by actor: String?) async throws -> Int
    /// Every change of `name`'s active version, oldest first.
    func activations(of name: String) async throws -> [ActivationEvent]
}

extension PredicateRepository {
    public func activate(_ name: String, version: Int) async throws { try await activate(name, version: version, by: nil) }
    public func rollback(_ name: String) async throws -> Int { try await rollback(name, by: nil) }
}

/// One change of a predicate's active version: a publication that went live, a version
/// activated by hand (a held one included), or a rollback; and who made it.
public struct ActivationEvent: Sendable, Equatable {
    public var version: Int
    /// `publish`, `activate` or `rollback`.
    public var action: String
    /// Who: the publishing author for `publish`, the caller for the others; nil when unknown
    /// (authentication off, or a change from before actors were recorded).
    public var actor: String?
    public var at: Date

    public init(version: Int, action: String, actor: String?, at: Date) {
        self.version = version
        self.action = action
        self.actor = actor
        self.at = at
    }
}
