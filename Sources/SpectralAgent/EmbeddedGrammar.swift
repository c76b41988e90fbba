/// The grammar and the notes on semantics the authoring prompt teaches the model from:
/// `Grammar/cel.ebnf` and `Grammar/SEMANTICS.md` beside this file, compiled into the
/// binary by SwiftPM (`.embedInCode`), so the model learns the language from the very
/// files the parser is checked against and the binary needs nothing beside it.
enum EmbeddedGrammar {
    static let ebnf = text(PackageResources.cel_ebnf)
    static let semantics = text(PackageResources.SEMANTICS_md)

    /// The file's text without its final line break (the prompt adds its own).
    private static func text(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
