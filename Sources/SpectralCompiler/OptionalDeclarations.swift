/// The optional type as the checker builds and takes apart (cel-go's `OptionalTypes`).
/// The functions on optionals are declared with their implementations in the library
/// table (SpectralVM's `OptionalValues`); selecting a field of an optional map is typed
/// by the checker itself; `optMap` and `optFlatMap` are macros.
public enum OptionalDeclarations {
    public static func optional(_ t: CELType) -> CELType { .abstract("optional_type", [t]) }

    /// The value type of an optional type, nil for any other type.
    public static func wrapped(_ t: CELType) -> CELType? {
        if case .abstract("optional_type", let params) = t, params.count == 1 { return params[0] }
        return nil
    }
}
