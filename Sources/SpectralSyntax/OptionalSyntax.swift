/// How the parser writes CEL's optional syntax into the tree: as calls the checker, the
/// code generator and the library know, so the tree needs no new node kinds.
public enum OptionalSyntax {
    /// `a.?f` is `_?._(a, "f")`.
    public static let select = "_?._"
    /// `a[?i]` is `_[?_](a, i)`.
    public static let index = "_[?_]"
    /// `[?e]` and `{?k: e}`: the element or value `e` wrapped in `@optional_entry(e)`; the
    /// entry exists only when the optional `e` has a value. Not a valid identifier, so no
    /// source can call it.
    public static let entry = "@optional_entry"
}
