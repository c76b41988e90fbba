import SpectralCatalog
import SpectralJSON

/// The `text/event-stream` framing of an authoring task's events: `id: <sequence>`,
/// `event: <kind>`, `data: <the event's JSON on one line>`, a blank line.
///
/// A frame ends at the first line break, so nothing stored may put one inside a field:
/// the data is JSON, whose serializer escapes CR and LF inside strings; stored text that
/// carries raw line breaks anyway (JSON whitespace, or a row that is not JSON) is
/// re-serialized, or sent as a JSON string. The kind keeps only the characters a kind has.
enum EventStreamFrame {
    /// A comment line: keeps an idle connection open through proxies, and a write to a
    /// client that has gone fails and ends the stream.
    static let keepAlive = ": keep-alive\n\n"

    static func frame(_ event: AuthoringTaskEvent) -> String {
        "id: \(event.sequence)\nevent: \(kind(event.kind))\ndata: \(singleLine(event.data))\n\n"
    }

    /// The data as one line of JSON.
    static func singleLine(_ data: String) -> String {
        guard data.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return data }
        if let json = try? JSONValue.parse(data) { return json.serialized() }
        return JSONValue.string(data).serialized()
    }

    /// The kind with anything but `a-z`, `0-9`, `_`, `-` and `.` left out (`message`, the
    /// SSE default, if nothing is left): the store's kinds are `AuthoringEventKind`s.
    static func kind(_ text: String) -> String {
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.prefix(64).filter { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-" || scalar == "."
        }))
        return kept.isEmpty ? "message" : kept
    }
}
