import SpectralBytecode

/// One declared input variable, from the text the store keeps: a CEL type
/// (`"map(string, dyn)"`) or, when the text is a JSON object, a JSON Schema
/// (`{"type": "object", "properties": {...}}`). A CEL type never starts with `{`, so
/// the two cannot be confused and declarations stay `name → text` everywhere.
public struct InputDeclaration: Hashable, Sendable {
    /// What the checker types the variable as.
    public var type: CELType
    /// The schema the input is validated against, when declared by one.
    public var schema: InputSchema?

    public init(type: CELType, schema: InputSchema? = nil) {
        self.type = type
        self.schema = schema
    }

    public init(schema: InputSchema) {
        self.init(type: CELType(schema), schema: schema)
    }

    /// Whether declaration text is a JSON Schema rather than a CEL type.
    public static func isSchema(_ text: String) -> Bool {
        text.unicodeScalars.first { !$0.properties.isWhitespace } == "{"
    }

    /// Parses declaration text; a schema's errors name the keyword and where it is.
    public static func parse(_ text: String) throws(TypeSyntaxError) -> InputDeclaration {
        guard isSchema(text) else { return InputDeclaration(type: try CELType.parse(text)) }
        do {
            return InputDeclaration(schema: try InputSchema.parse(text))
        } catch {
            throw TypeSyntaxError("invalid JSON Schema: \(error)")
        }
    }
}
