/// One event of the `JSONReader` pull parser.
///
/// Object members arrive as `.key(name)` followed by the member's value
/// tokens; the reader has already consumed the ':' after the key.
public enum JSONToken: Equatable, Sendable {
    case beginObject
    case endObject
    case beginArray
    case endArray
    case key(String)
    case string(String)
    case number(JSONNumber)
    case bool(Bool)
    case null
    /// The single top-level value and trailing whitespace have been consumed.
    case end
}
