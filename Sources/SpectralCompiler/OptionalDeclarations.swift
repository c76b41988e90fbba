import SpectralSyntax

/// Checker declarations for optional values (cel-go's `OptionalTypes`): `optional.of`,
/// `optional.none`, `optional.ofNonZeroValue`, `hasValue`, `value`, `orValue`, `or`, the
/// optional select `a.?f` and index `a[?i]`, and indexing an optional aggregate
/// (`optional.of(m)['k']` is optional too). Selecting a field of an optional map is typed
/// by the checker itself; `optMap` and `optFlatMap` are macros.
public enum OptionalDeclarations {
    private static let A = CELType.param("A")
    private static let B = CELType.param("B")

    public static func optional(_ t: CELType) -> CELType { .abstract("optional_type", [t]) }

    /// The value type of an optional type, nil for any other type.
    public static func wrapped(_ t: CELType) -> CELType? {
        if case .abstract("optional_type", let params) = t, params.count == 1 { return params[0] }
        return nil
    }

    public static let functions: [FunctionDecl] = [
        FunctionDecl("optional.of", [Overload("optional_of", [A], optional(A))]),
        FunctionDecl("optional.ofNonZeroValue", [Overload("optional_ofNonZeroValue", [A], optional(A))]),
        FunctionDecl("optional.none", [Overload("optional_none", [], optional(A))]),
        FunctionDecl("hasValue", [Overload("optional_hasValue", [optional(A)], .bool, receiver: true)]),
        FunctionDecl("value", [Overload("optional_value", [optional(A)], A, receiver: true)]),
        FunctionDecl("orValue", [Overload("optional_orValue_value", [optional(A), A], A, receiver: true)]),
        FunctionDecl("or", [Overload("optional_or_optional", [optional(A), optional(A)], optional(A), receiver: true)]),
        FunctionDecl(OptionalSyntax.select, [
            Overload("select_optional_field", [.map(A, B), .string], optional(B)),
            Overload("select_optional_field_optional", [optional(.map(A, B)), .string], optional(B)),
        ]),
        FunctionDecl(OptionalSyntax.index, [
            Overload("list_optindex_optional_int", [.list(A), .int], optional(A)),
            Overload("map_optindex_optional_value", [.map(A, B), A], optional(B)),
            Overload("optional_list_optindex_optional_int", [optional(.list(A)), .int], optional(A)),
            Overload("optional_map_optindex_optional_value", [optional(.map(A, B)), A], optional(B)),
        ]),
        FunctionDecl("_[_]", [
            Overload("optional_list_index_int", [optional(.list(A)), .int], optional(A)),
            Overload("optional_map_index_value", [optional(.map(A, B)), A], optional(B)),
        ]),
    ]
}
