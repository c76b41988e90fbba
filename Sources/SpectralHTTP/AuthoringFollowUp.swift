import SpectralCatalog
import SpectralJSON

/// The body of `POST /v1/authoring/tasks/{id}/messages`: `{"text": "..."}`, the next turn
/// of the task's conversation. The text goes into the agent's prompt, so it is bounded as
/// the intent is (`AuthoringTaskRequest.maxIntentBytes`), and stored as text, which holds
/// no U+0000. Shape errors are 400; text too long to send is 422, as for the intent.
struct AuthoringFollowUp {
    let text: String

    static let fields = ["text"]
    static let maxBytes = AuthoringTaskRequest.maxIntentBytes

    init(json: JSONValue) throws(APIError) {
        guard let members = json.objectValue else { throw APIError.malformed(#"the body must be {"text": "..."}"#) }
        if let key = members.map(\.0).first(where: { !Self.fields.contains($0) }) {
            throw RequestFields.unknown(key, in: "a follow-up message", expected: Self.fields)
        }
        guard let text = json["text"]?.stringValue else { throw Self.invalid(#""text" (a string) is required"#) }
        guard !text.unicodeScalars.contains("\u{0}") else { throw Self.invalid("the text contains the character U+0000") }
        guard !text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            throw Self.invalid("the text is empty: say what to change")
        }
        guard text.utf8.count <= Self.maxBytes else {
            throw APIError(.unprocessableContent, code: "invalid_message", "the text is \(text.utf8.count) bytes; at most \(Self.maxBytes)")
        }
        self.text = text
    }

    private static func invalid(_ message: String) -> APIError { APIError(.badRequest, code: "invalid_message", message) }
}
