import Logging

/// Log lines on standard error, human-readable (`text`, in swift-log's `StreamLogHandler`
/// format) or one JSON object a line for log shippers (`json`).
///
/// Why not `StreamLogHandler`: it renders its metadata to text each time a key is set, and
/// Hummingbird sets one (`hb.request.id`) on every request, so every request paid for a
/// line that is almost never written. This handler renders metadata only for a line it
/// writes.
struct StandardErrorLogHandler: LogHandler {
    enum Format {
        /// `<time> <level> <label>: <key=value …> [<source>] <message>`
        case text
        /// `ts`, `level`, `logger`, `msg` and the metadata as string fields.
        case json
    }

    let label: String
    let format: Format
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, format: Format) {
        self.label = label
        self.format = format
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        let fields = merged.sorted { $0.key < $1.key }
        switch format {
        case .text: printError(textLine(event, fields))
        case .json: printError(jsonLine(event, fields))
        }
    }
}
