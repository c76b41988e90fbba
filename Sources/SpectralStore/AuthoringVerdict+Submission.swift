import SpectralCatalog

/// The verdicts the stores record for a task's submission (a `predicate.authored` event
/// linked to its task by `authoring_submissions`), decided here so both backends record
/// the same.
extension AuthoringVerdict {
    /// The verdict of a submission the publishing worker handled: published (or held) as
    /// the version the store numbered, rejected, or identical to the active version. Nil
    /// for an effect that does not end a submission.
    static func ofSubmission(_ effect: HandlerEffect, result: HandledEvent.Result) -> AuthoringVerdict? {
        switch (effect, result) {
        case (.publish(let new), .published(_, let number)): return .published(new, number: number)
        case (.reject(let rejection), _): return .rejected(rejection)
        case (.unchanged(let name, let version), _): return .unchanged(name: name, version: version)
        default: return nil
        }
    }

    /// The verdict of a submission dead-lettered after its last attempt: nothing will
    /// publish it, so its task fails with the last error rather than wait forever.
    static func undeliverable(lastError: String?) -> AuthoringVerdict {
        AuthoringVerdict(status: .failed, detail: "the submission could not be published: \(lastError ?? "no error was recorded")")
    }
}
