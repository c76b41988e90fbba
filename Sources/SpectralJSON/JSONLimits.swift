/// Resource limits for reading untrusted JSON (e.g. HTTP request bodies).
///
/// The reader is iterative, so depth is not needed for stack safety while
/// tokenizing; `maxDepth` exists because consumers (the `JSONValue` DOM, its
/// `Equatable` and deinit, evaluation code) are recursive over the result.
public struct JSONLimits: Sendable, Equatable {
    /// Maximum number of simultaneously open arrays/objects. `[]` has depth 1.
    public var maxDepth: Int
    /// Maximum total input size in bytes.
    public var maxBytes: Int
    /// Maximum size of one decoded string (or key, or number literal) in UTF-8 bytes.
    public var maxStringBytes: Int

    public init(maxDepth: Int = 64, maxBytes: Int = 1 << 20, maxStringBytes: Int = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
        self.maxStringBytes = maxStringBytes
    }
}
