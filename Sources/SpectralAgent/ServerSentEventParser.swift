/// One event of a `text/event-stream`: its type (`message` unless named), its data lines
/// joined by newlines, and its id when it had one.
public struct ServerSentEvent: Sendable, Equatable {
    public var type: String
    public var data: String
    public var id: String?

    public init(type: String = "message", data: String, id: String? = nil) {
        self.type = type
        self.data = data
        self.id = id
    }
}

/// Reads a `text/event-stream` (the WHATWG HTML standard's format) fed in pieces as they
/// arrive: lines end in LF, CRLF or CR, even split across pieces; `data`, `event` and `id`
/// fields build an event, which a blank line dispatches; comments (`:` lines), `retry` and
/// unknown fields are ignored, as is an event without data.
///
/// The stream comes from another server: a line longer than `maxLineBytes`, or an event
/// larger than `maxEventBytes`, is refused rather than buffered without bound.
public struct ServerSentEventParser: Sendable {
    public enum Failure: Error, Sendable, Equatable {
        case lineTooLong(limit: Int)
        case eventTooLarge(limit: Int)
    }

    public let maxLineBytes: Int
    public let maxEventBytes: Int
    private var line: [UInt8] = []
    /// A CR ended the last line: an LF at the start of the next piece belongs to it.
    private var afterCarriageReturn = false
    private var type = ""
    private var data: [UInt8] = []
    private var hasData = false
    private var id: String?

    public init(maxLineBytes: Int = 1 << 20, maxEventBytes: Int = 4 << 20) {
        self.maxLineBytes = maxLineBytes
        self.maxEventBytes = maxEventBytes
    }

    /// The events `bytes` completes, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(Failure) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                afterCarriageReturn = byte == UInt8(ascii: "\r")
                if let event = try endLine() { events.append(event) }
            default:
                guard line.count < maxLineBytes else { throw .lineTooLong(limit: maxLineBytes) }
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the current line: a blank one dispatches the event being built.
    private mutating func endLine() throws(Failure) -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let field = String(decoding: line[..<(colon ?? line.endIndex)], as: UTF8.self)
        var value = colon.map { line[line.index(after: $0)...] } ?? []
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        switch field {
        case "data":
            guard data.count + value.count + 1 <= maxEventBytes else { throw .eventTooLarge(limit: maxEventBytes) }
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            type = String(decoding: value, as: UTF8.self)
        case "id" where !value.contains(0):
            id = String(decoding: value, as: UTF8.self)
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            type = ""
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(type: type.isEmpty ? "message" : type, data: String(decoding: data, as: UTF8.self), id: id)
    }
}
