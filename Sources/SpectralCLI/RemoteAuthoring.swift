import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SpectralAgent
import SpectralJSON

/// `spectral author --server URL` where no model is configured here: the server's agent
/// does the work. The task is posted (`POST /v1/authoring/tasks`), then its events are
/// printed as they come (`GET …/events`), reconnecting after the last id seen when a
/// stream ends, until the turn's verdict or `deadline`.
///
/// What the server sends is printed to a terminal: model text and diagnostics are shown
/// with control characters (escape sequences) replaced, and each stream is parsed with
/// `ServerSentEventParser`'s bounds.
struct RemoteAuthoring {
    /// The server's root, without a trailing `/`.
    let baseURL: String
    /// A key with the `author` scope (`SPECTRAL_API_KEY`); nil for a server without auth.
    let apiKey: String?
    let httpClient: HTTPClient
    /// Where output goes (stdout for the verdict, stderr for progress), for tests.
    var out: @Sendable (String) -> Void = { print($0) }
    var progress: @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }

    enum Outcome: Equatable {
        /// The verdict, `published` or another end (`held`, `rejected`, `failed`, `cancelled`).
        case verdict(String)
        /// The server refused the task: its status and error message.
        case refused(status: Int, code: String, message: String)
        /// No verdict by the deadline.
        case pending(taskID: String)
    }

    init(baseURL: String, apiKey: String?, httpClient: HTTPClient = AgentHTTPClient.shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.httpClient = httpClient
    }

    func run(_ task: JSONValue, deadline: ContinuousClock.Instant) async throws -> Outcome {
        var request = makeRequest("/v1/authoring/tasks")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: task.serializedBytes()))
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        let body = (try? JSONValue.parse(Array(buffer: try await response.body.collect(upTo: 1 << 20)))) ?? .null
        guard response.status == .accepted, let id = body["task_id"]?.stringValue, let events = body["events_url"]?.stringValue else {
            return .refused(status: Int(response.status.code), code: body["error"]?["code"]?.stringValue ?? "",
                            message: body["error"]?["message"]?.stringValue ?? body.serialized())
        }
        progress("task \(Self.printable(id)) queued\n")
        var last: String?
        while ContinuousClock.now < deadline {
            if let verdict = try await follow(events, after: &last) { return .verdict(verdict) }
            try await Task.sleep(for: .seconds(1))
        }
        return .pending(taskID: id)
    }

    /// One stream, printed as it comes; the verdict when the stream carried it.
    private func follow(_ path: String, after last: inout String?) async throws -> String? {
        var request = makeRequest(path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let last { request.headers.add(name: "Last-Event-ID", value: last) }
        let response = try await httpClient.execute(request, timeout: .seconds(30))
        guard response.status == .ok else {
            let body = (try? JSONValue.parse(Array(buffer: try await response.body.collect(upTo: 1 << 20)))) ?? .null
            throw RemoteAuthoringError(status: Int(response.status.code), message: body["error"]?["message"]?.stringValue ?? body.serialized())
        }
        var parser = ServerSentEventParser()
        for try await buffer in response.body {
            for event in try parser.feed(buffer.readableBytesView) {
                if let id = event.id { last = id }
                if let verdict = show(event) { return verdict }
            }
        }
        return nil
    }

    /// Prints one event; the verdict's status when it is the verdict.
    private func show(_ event: ServerSentEvent) -> String? {
        let data = (try? JSONValue.parse(event.data)) ?? .null
        func text(_ key: String) -> String { Self.printable(data[key]?.stringValue ?? "") }
        func number(_ key: String) -> String { data[key]?.int64Value.map(String.init) ?? "?" }
        switch event.type {
        case "queued": progress("turn queued\n")
        case "round_started": progress("round \(number("round")) of \(number("max_rounds"))\n")
        case "delta": progress(text("text"))
        case "diagnostics":
            let found = data["diagnostics"]?.arrayValue ?? []
            progress("\nround \(number("round")): \(found.count) diagnostic(s)\n")
            for diagnostic in found {
                let line = diagnostic["rendered"]?.stringValue ?? diagnostic["message"]?.stringValue ?? diagnostic.serialized()
                progress("  \(Self.printable(line))\n")
            }
        case "accepted": progress("\naccepted: \(text("expression"))\n")
        case "submitted": progress("submitted as event \(number("event_id")); waiting for the worker's verdict\n")
        case "verdict":
            let verdict = text("verdict")
            let detail = text("detail")
            out(detail.isEmpty ? verdict : "\(verdict): \(detail)")
            return verdict
        default: break
        }
        return nil
    }

    private func makeRequest(_ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        return request
    }

    /// `text` with control characters other than newline and tab shown as `?`: what a
    /// model or a server sends must not drive the terminal.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            let isControl = scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t"
            return isControl ? "?" : scalar
        }))
    }
}

/// The server refused to stream a task's events.
struct RemoteAuthoringError: Error, CustomStringConvertible {
    var status: Int
    var message: String

    var description: String { "the server answered \(status): \(RemoteAuthoring.printable(message))" }
}
