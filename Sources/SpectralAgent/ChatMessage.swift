import SpectralJSON

/// One message of a chat-completions conversation.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }

    var jsonValue: JSONValue {
        .object([("role", .string(role.rawValue)), ("content", .string(content))])
    }

    init?(json: JSONValue) {
        guard let role = json["role"]?.stringValue.flatMap(Role.init(rawValue:)), let content = json["content"]?.stringValue else {
            return nil
        }
        self.init(role, content)
    }

    /// A conversation as a checkpoint stores it: a JSON array of `{"role", "content"}`.
    static func listJSON(_ messages: [ChatMessage]) -> String {
        JSONValue.array(messages.map(\.jsonValue)).serialized()
    }

    /// Nil when the text is not such an array (a checkpoint written by a later release).
    static func list(jsonText: String) -> [ChatMessage]? {
        guard let items = (try? JSONValue.parse(jsonText))?.arrayValue else { return nil }
        let messages = items.compactMap(ChatMessage.init(json:))
        return messages.count == items.count ? messages : nil
    }
}

/// The model's answer and what it cost.
public struct ChatCompletion: Sendable, Equatable {
    public var content: String
    public var model: String
    public var finishReason: String?
    public var usage: TokenUsage

    init(content: String, model: String, finishReason: String?, usage: TokenUsage) {
        self.content = content
        self.model = model
        self.finishReason = finishReason
        self.usage = usage
    }

    /// Reads an OpenAI chat-completions response body.
    init(json: JSONValue) throws(LLMError) {
        guard let choice = json["choices"]?[0], let message = choice["message"] else {
            throw LLMError.malformedResponse("no choices[0].message in the response")
        }
        // `content` is null when a model answers with a tool call or a refusal.
        guard let content = message["content"]?.stringValue else {
            let refusal = message["refusal"]?.stringValue.map { ": \($0)" } ?? ""
            throw LLMError.malformedResponse("the answer has no text content\(refusal)")
        }
        self.content = content
        self.model = json["model"]?.stringValue ?? ""
        self.finishReason = choice["finish_reason"]?.stringValue
        self.usage = TokenUsage(json: json["usage"])
    }
}

/// Tokens one completion consumed, as the server reports them (zero when it does not).
public struct TokenUsage: Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int

    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    init(json: JSONValue?) {
        promptTokens = json?["prompt_tokens"]?.int64Value.map { Int($0) } ?? 0
        completionTokens = json?["completion_tokens"]?.int64Value.map { Int($0) } ?? 0
    }

    static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: lhs.promptTokens + rhs.promptTokens,
                   completionTokens: lhs.completionTokens + rhs.completionTokens)
    }
}
