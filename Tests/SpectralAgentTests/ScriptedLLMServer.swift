import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Spectral
import SpectralAgent
import Synchronization

/// A stand-in for an OpenAI-compatible chat-completions server, started on loopback by the
/// test itself. No language model is reachable from this machine, so the tests script the
/// model's side of the conversation: each request to `POST /v1/chat/completions` gets the
/// next scripted reply, and every request is recorded so the test can check what the agent
/// sent (the prompt, the fed-back diagnostics, the API key header).
///
/// Everything else is real: real HTTP over a real socket, real timeouts, real retries.
final class ScriptedLLMServer: Sendable {
    enum Reply: Sendable {
        /// A chat completion whose message content is this text.
        case answer(String)
        /// The same, streamed as Server-Sent Events (when the request asks to stream): one
        /// chunk per piece, written a few milliseconds apart and cut mid-line between
        /// writes, then a usage chunk and `[DONE]`.
        case streamed([String])
        /// An error status, with an OpenAI-style error body and an optional Retry-After.
        case status(Int, retryAfter: Int? = nil)
        /// A 401 whose message echoes the key the request presented (some proxies do).
        case echoKey
        /// No answer for this long, or until `release()` (then a completion, if anyone still listens).
        case stall(Duration)
    }

    struct Recorded: Sendable {
        var authorization: String?
        var body: JSONValue

        var messages: [(role: String, content: String)] {
            (body["messages"]?.arrayValue ?? []).map { ($0["role"]?.stringValue ?? "", $0["content"]?.stringValue ?? "") }
        }

        /// The last message: the task, or the feedback on the previous answer.
        var lastUserMessage: String { messages.last { $0.role == "user" }?.content ?? "" }
    }

    private let state: Mutex<(replies: [Reply], requests: [Recorded])>
    private let released = Atomic<Bool>(false)
    /// What `GET /v1/models` answers (the health probe).
    let modelsStatus: Int

    init(_ replies: [Reply], modelsStatus: Int = 200) {
        self.state = Mutex((replies, []))
        self.modelsStatus = modelsStatus
    }

    var requests: [Recorded] { state.withLock { $0.requests } }

    /// Ends every stall now, so the server can shut down without waiting them out.
    func release() { released.store(true, ordering: .relaxed) }

    /// Runs the server for the duration of `body`, which receives its API root.
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        var logger = Logger(label: "scripted-llm")
        logger.logLevel = .error
        let router = Router()
        router.post("v1/chat/completions") { request, _ in try await self.complete(request) }
        router.get("v1/models") { _, _ in
            Response(status: .init(code: self.modelsStatus),
                     headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: self.modelsStatus == 200
                        ? #"{"object":"list","data":[{"id":"scripted","object":"model"}]}"#
                        : #"{"error":{"message":"invalid api key","type":"invalid_request_error"}}"#)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/v1")
        }
    }

    private func complete(_ request: Request) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 4 << 20)
        let json = (try? JSONValue.parse(Array(bytes.readableBytesView))) ?? .null
        let reply: Reply? = state.withLock { state in
            state.requests.append(Recorded(authorization: request.headers[.authorization], body: json))
            return state.replies.isEmpty ? nil : state.replies.removeFirst()
        }
        switch reply {
        case .answer(let text):
            return Self.completion(text, promptBytes: bytes.readableBytes)
        case .streamed(let pieces):
            return Self.eventStream(pieces, promptBytes: bytes.readableBytes)
        case .status(let code, let retryAfter):
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
            let body = #"{"error":{"message":"scripted status \#(code)","type":"server_error"}}"#
            return Response(status: .init(code: code), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .echoKey:
            let presented = request.headers[.authorization] ?? ""
            let body = JSONValue.object([("error", .object([("message", .string("invalid key: \(presented)"))]))]).serialized()
            return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .stall(let duration):
            let deadline = ContinuousClock.now + duration
            while !released.load(ordering: .relaxed), ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            return Self.completion("too late", promptBytes: 0)
        case nil:
            let body = #"{"error":{"message":"the test's script has no more replies"}}"#
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    private static func eventStream(_ pieces: [String], promptBytes: Int) -> Response {
        var events = pieces.map { piece in
            JSONValue.object([
                ("id", "chatcmpl-scripted"), ("object", "chat.completion.chunk"), ("model", "scripted-model"),
                ("choices", .array([.object([("index", 0), ("delta", .object([("content", .string(piece))])), ("finish_reason", .null)])])),
            ]).serialized()
        }
        let text = pieces.joined()
        events.append(JSONValue.object([
            ("id", "chatcmpl-scripted"), ("object", "chat.completion.chunk"), ("model", "scripted-model"),
            ("choices", .array([.object([("index", 0), ("delta", .object([])), ("finish_reason", "stop")])])),
            ("usage", .object([
                ("prompt_tokens", .number(JSONNumber(Int64(promptBytes / 4)))),
                ("completion_tokens", .number(JSONNumber(Int64(text.utf8.count / 4 + 1)))),
            ])),
        ]).serialized())
        let wire = Array((events.map { "data: \($0)\r\n\r\n" }.joined() + "data: [DONE]\n\n").utf8)
        return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
            // Pieces of 37 bytes: events and lines split across writes, as a network may.
            var start = 0
            while start < wire.count {
                let end = min(start + 37, wire.count)
                try await writer.write(ByteBuffer(bytes: wire[start..<end]))
                start = end
                try await Task.sleep(for: .milliseconds(2))
            }
            try await writer.finish(nil)
        })
    }

    private static func completion(_ text: String, promptBytes: Int) -> Response {
        let body = JSONValue.object([
            ("id", "chatcmpl-scripted"), ("object", "chat.completion"), ("model", "scripted-model"),
            ("choices", .array([.object([
                ("index", 0), ("message", .object([("role", "assistant"), ("content", .string(text))])), ("finish_reason", "stop"),
            ])])),
            ("usage", .object([
                ("prompt_tokens", .number(JSONNumber(Int64(promptBytes / 4)))),
                ("completion_tokens", .number(JSONNumber(Int64(text.utf8.count / 4 + 1)))),
                ("total_tokens", .number(JSONNumber(Int64(promptBytes / 4 + text.utf8.count / 4 + 1)))),
            ])),
        ])
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: body.serialized())))
    }
}

/// A logger whose lines (message and metadata) the test can read back.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "agent-test") { _ in RecordingHandler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }
}

private struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        recorder.append("\(event.level) \(event.message) \(rendered)")
    }
}
