/// A strict RFC 8259 pull parser over an in-memory byte buffer.
///
/// Call `next()` repeatedly; it returns one token at a time and validates the
/// structure as it goes, so a consumer can build its own representation in a
/// single pass without an intermediate DOM. After the top-level value it
/// returns `.end` (and keeps returning `.end` if called again).
///
/// The reader is iterative: nesting is tracked in an explicit stack, not on
/// the call stack, so hostile input (`[[[[...`) cannot overflow the stack; it
/// is rejected once it exceeds `limits.maxDepth`.
///
/// Errors are sticky: after the first error every later `next()` rethrows it,
/// so a consumer cannot accidentally resume in an inconsistent state.
///
/// Tip for hot loops: match tokens with `switch`/`if case` rather than `==`;
/// the synthesized `Equatable` compares payloads and is comparatively slow.
public struct JSONReader {
    private let bytes: [UInt8]
    private var scanner: JSONScanner

    public init(bytes: [UInt8], limits: JSONLimits = JSONLimits()) {
        self.bytes = bytes
        self.scanner = JSONScanner(limits: limits)
    }

    /// A reader of the one value that starts at `offset` (after optional whitespace):
    /// after it, `next()` returns `.end` whatever follows, and `offset` is where the
    /// value and the whitespace after it end. For a consumer that reads the bytes around
    /// the value itself (`JSONCursor`) and hands this reader one value it builds generically.
    public init(bytes: [UInt8], valueAt offset: Int, limits: JSONLimits = JSONLimits()) {
        self.bytes = bytes
        self.scanner = JSONScanner(limits: limits)
        scanner.pos = offset
        scanner.singleValue = true
    }

    /// Byte offset of the next unread byte.
    public var offset: Int { scanner.pos }

    /// Number of currently open arrays and objects.
    public var depth: Int { scanner.containers.count }

    public mutating func next() throws(JSONError) -> JSONToken {
        // `bytes` and `scanner` are disjoint stored properties, so borrowing
        // one while mutating the other is allowed and needs no copy.
        try bytes.withUnsafeBufferPointer { (buf) throws(JSONError) -> JSONToken in
            try scanner.next(buf)
        }
    }
}
