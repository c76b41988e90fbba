/// A URL as it may be shown: in logs, errors and `/health`. Credentials written into a
/// URL (`postgres://user:secret@db/…`, `https://user:key@llm.example/v1`) are replaced by
/// `***`, and the query (where providers put `?api_key=`) by `?…`; the scheme, host,
/// port and path stay, since they are what an operator needs to tell which endpoint
/// failed. Works on text, not on a parsed URL: malformed input is exactly what error
/// messages quote, and it must be redacted too.
public struct RedactedURL: CustomStringConvertible, Sendable {
    public let description: String

    public init(_ url: String) {
        var text = Substring(url)
        var scheme = Substring("")
        if let separator = text.range(of: "://") {
            scheme = text[..<separator.upperBound]
            text = text[separator.upperBound...]
        }
        // The authority ends at the first '/', '?' or '#'; userinfo is what precedes its last '@'.
        let authorityEnd = text.firstIndex(where: { "/?#".contains($0) }) ?? text.endIndex
        var authority = text[..<authorityEnd]
        var rest = text[authorityEnd...]
        if let at = authority.lastIndex(of: "@") {
            authority = "***@" + authority[authority.index(after: at)...]
        }
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<query] + (rest[query] == "?" ? "?…" : "")
        }
        description = String(scheme) + String(authority) + String(rest)
    }
}
