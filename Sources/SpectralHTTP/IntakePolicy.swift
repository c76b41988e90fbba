import SpectralCatalog
import SpectralJSON

/// Who may publish what through the HTTP intake. An `author` key may write versions but
/// not change what is live: activating, like `/activate` and `/rollback`, needs `admin`.
/// So the intake's `activate` defaults to the caller's right to activate (an author's
/// version is published inactive, for an admin to activate), and asking for activation
/// without `admin` is refused rather than quietly ignored. The recorded author is the
/// authenticated caller, never text from the request, so it cannot be forged.
struct IntakePolicy {
    /// Nil only in the embedded demo mode, where nothing is checked.
    let caller: Caller?

    /// Recorded as the author in demo mode, where nobody is authenticated.
    static let demoAuthor = "demo (unauthenticated)"

    var mayActivate: Bool { caller?.grants(.admin) ?? true }

    func apply(to definition: PredicateDefinition, requested json: JSONValue) throws -> PredicateDefinition {
        var definition = definition
        if let author = json["author"], !author.isNull {
            throw APIError(.badRequest, code: "invalid_predicate_request",
                           "\"author\" is set from your credentials (\(caller?.id ?? Self.demoAuthor)); leave it out")
        }
        let requested = json["activate"].flatMap(\.boolValue)
        if requested == true, !mayActivate {
            throw APIError(.forbidden, code: "forbidden",
                           "activating needs the 'admin' scope: submit with \"activate\": false (the default for this caller) and have an admin activate the version")
        }
        definition.activate = requested ?? mayActivate
        definition.author = caller?.id ?? Self.demoAuthor
        return definition
    }
}
