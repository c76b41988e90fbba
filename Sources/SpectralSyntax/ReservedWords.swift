/// Words CEL reserves for future syntax or host-language compatibility. They cannot be
/// identifiers, but they stay legal as field names and method names after `.`, so that
/// `{'as': 1}.as` and `a.if()` parse (the CEL conformance suite checks both).
enum ReservedWords {
    static let identifiers: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ]
}
