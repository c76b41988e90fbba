/// Checker declarations for CEL's `strings` extension (overload ids as in cel-go).
public enum StringsExtensionDeclarations {
    public static let functions: [FunctionDecl] = [
        FunctionDecl("charAt", [
            Overload("string_char_at_int", [.string, .int], .string, receiver: true),
        ]),
        FunctionDecl("indexOf", [
            Overload("string_index_of_string", [.string, .string], .int, receiver: true),
            Overload("string_index_of_string_int", [.string, .string, .int], .int, receiver: true),
        ]),
        FunctionDecl("lastIndexOf", [
            Overload("string_last_index_of_string", [.string, .string], .int, receiver: true),
            Overload("string_last_index_of_string_int", [.string, .string, .int], .int, receiver: true),
        ]),
        FunctionDecl("lowerAscii", [
            Overload("string_lower_ascii", [.string], .string, receiver: true),
        ]),
        FunctionDecl("upperAscii", [
            Overload("string_upper_ascii", [.string], .string, receiver: true),
        ]),
        FunctionDecl("replace", [
            Overload("string_replace_string_string", [.string, .string, .string], .string, receiver: true),
            Overload("string_replace_string_string_int", [.string, .string, .string, .int], .string, receiver: true),
        ]),
        FunctionDecl("split", [
            Overload("string_split_string", [.string, .string], .list(.string), receiver: true),
            Overload("string_split_string_int", [.string, .string, .int], .list(.string), receiver: true),
        ]),
        FunctionDecl("substring", [
            Overload("string_substring_int", [.string, .int], .string, receiver: true),
            Overload("string_substring_int_int", [.string, .int, .int], .string, receiver: true),
        ]),
        FunctionDecl("trim", [
            Overload("string_trim", [.string], .string, receiver: true),
        ]),
        FunctionDecl("join", [
            Overload("list_join", [.list(.string)], .string, receiver: true),
            Overload("list_join_string", [.list(.string), .string], .string, receiver: true),
        ]),
        FunctionDecl("reverse", [
            Overload("string_reverse", [.string], .string, receiver: true),
        ]),
        FunctionDecl("format", [
            Overload("string_format", [.string, .list(.dyn)], .string, receiver: true),
        ]),
        FunctionDecl("strings.quote", [
            Overload("strings_quote", [.string], .string),
        ]),
    ]
}
