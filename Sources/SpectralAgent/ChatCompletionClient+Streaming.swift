import AsyncHTTPClient
import SpectralCatalog
import NIOCore
import SpectralJSON
import Synchronization

extension ChatCompletionClient {
    /// Asks with `"stream": true` and hands each piece of the answer's text to `onDelta` as
    /// the server sends it (Server-Sent Events of `chat.completion.chunk`s, ended by
    /// `[DONE]`); returns the whole completion, with the token usage of the final chunk
    /// (`stream_options.include_usage`) when the server reports it. A server that ignores
    /// `stream` and answers one JSON completion is read as such, its text one delta.
    ///
    /// Bounded and retried as `complete` is, with one difference: once text has been handed
    /// on, a failure ends the call instead of asking again (the caller has shown that text).
    public func stream(_ messages: [ChatMessage],
                       onDelta: @escaping @Sendable (String) async -> Void) async throws(LLMError) -> ChatCompletion {
        let body = Array(JSONValue.object([
            ("model", .string(configuration.model)),
            ("messages", .array(messages.map(\.jsonValue))),
            ("temperature", JSONNumber(configuration.temperature).map(JSONValue.number) ?? .null),
            ("stream", .bool(true)),
            ("stream_options", .object([("include_usage", .bool(true))])),
        ]).serialized().utf8)
        let endpoint = configuration.baseURL + "/chat/completions"
        let timeout = configuration.requestTimeout
        let started = ContinuousClock.now
        let (completion, attempts) = try await retrying(endpoint: endpoint, timeout: timeout, retries: configuration.maxRetries) {
            await streamOnce(endpoint: endpoint, body: body, timeout: timeout, onDelta: onDelta)
        }
        logCompletion(completion, attempts: attempts, since: started, streamed: true)
        return completion
    }

    private func streamOnce(endpoint: String, body: [UInt8], timeout: Duration,
                            onDelta: @escaping @Sendable (String) async -> Void) async -> AttemptOutcome<ChatCompletion> {
        let delivered = Atomic<Bool>(false)
        let shownEndpoint = RedactedURL(endpoint).description
        let request = Self.request(.POST, endpoint: endpoint, body: body, apiKey: configuration.apiKey, accept: "text/event-stream")
        let outcome: AttemptOutcome<ChatCompletion> = await raced(against: timeout) { [httpClient] in
            let response = try await httpClient.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            guard (200..<300).contains(Int(response.status.code)) else {
                let bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
                return .answered(RawResponse(status: Int(response.status.code), body: Array(buffer: bytes)),
                                 retryAfter: Self.retryAfter(response.headers))
            }
            guard response.headers.first(name: "Content-Type")?.lowercased().hasPrefix("text/event-stream") == true else {
                let bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
                let completion: ChatCompletion
                do { completion = try ChatCompletion(json: try JSONValue.parse(Array(buffer: bytes))) } catch let error as LLMError {
                    return .final(error)
                } catch {
                    return .final(.malformedResponse("the body is not JSON (\(error))"))
                }
                delivered.store(true, ordering: .relaxed)
                await onDelta(completion.content)
                return .succeeded(completion)
            }
            var parser = ServerSentEventParser(maxLineBytes: Self.maxResponseBytes, maxEventBytes: Self.maxResponseBytes)
            var assembly = StreamedCompletion()
            var received = 0
            for try await piece in response.body {
                received += piece.readableBytes
                guard received <= Self.maxResponseBytes else {
                    return .final(.malformedResponse("the stream is longer than \(Self.maxResponseBytes) bytes"))
                }
                let events: [ServerSentEvent]
                do { events = try parser.feed(piece.readableBytesView) } catch {
                    return .final(.malformedResponse("the stream's events are too large (\(error))"))
                }
                for event in events {
                    if event.data == "[DONE]" { return assembly.completion() }
                    let delta: String?
                    do throws(LLMError) { delta = try assembly.add(event.data) } catch { return .final(error) }
                    if let delta, !delta.isEmpty {
                        delivered.store(true, ordering: .relaxed)
                        await onDelta(delta)
                    }
                }
            }
            // Some servers end the stream without [DONE]: what arrived is the answer.
            return assembly.completion()
        }
        // A broken or stalled stream after text was handed on is not asked again.
        guard delivered.load(ordering: .relaxed) else { return outcome }
        switch outcome {
        case .timedOut: return .final(.timeout(endpoint: shownEndpoint, after: timeout, attempts: 1))
        case .failed(let reason): return .final(.unreachable(endpoint: shownEndpoint, reason: reason, attempts: 1))
        default: return outcome
        }
    }
}

/// The chunks of a streamed chat completion, put back together.
struct StreamedCompletion {
    private var content = ""
    private var model = ""
    private var finishReason: String?
    private var usage = TokenUsage()
    private var chunks = 0

    /// Adds one chunk (an event's JSON); returns its text, if it has any.
    mutating func add(_ data: String) throws(LLMError) -> String? {
        guard let chunk = try? JSONValue.parse(data) else {
            throw .malformedResponse("a streamed chunk is not JSON: \(data.prefix(120))")
        }
        if let message = chunk["error"]?["message"]?.stringValue { throw .malformedResponse("the stream reported an error: \(message)") }
        chunks += 1
        if let name = chunk["model"]?.stringValue { model = name }
        if let reported = chunk["usage"], reported.objectValue != nil { usage = TokenUsage(json: reported) }
        guard let choice = chunk["choices"]?[0] else { return nil }
        if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
        let text = choice["delta"]?["content"]?.stringValue
        if let text { content += text }
        return text
    }

    func completion() -> ChatCompletionClient.AttemptOutcome<ChatCompletion> {
        guard chunks > 0 else { return .final(.malformedResponse("the stream ended before any chunk")) }
        return .succeeded(ChatCompletion(content: content, model: model, finishReason: finishReason, usage: usage))
    }
}
