import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SpectralCatalog
import Synchronization

/// The body of `GET /v1/authoring/tasks/{id}/events`: the task's stored events after
/// `after`, as Server-Sent Events, then new ones as the store records them.
///
/// The store is the stream's only source (no notification is needed): it is read a page
/// at a time, and polled every `pollInterval` once caught up. Everything is in the store
/// before it is sent, so a client that loses the stream resumes from the last id it saw
/// (`Last-Event-ID`) without loss or repeat.
///
/// The stream ends when the task has finished its turn and the turn's `verdict` has been
/// sent (or the client resumed after it); when the client goes (the connection closes, or
/// a write fails); at `lifetime`; or when the server shuts down. A task whose status is
/// finished with no verdict for its turn (written apart from the status by some path, or
/// never) is given `verdictGrace` for it to appear, then the stream ends all the same:
/// nothing more will come for that turn. Idle, it sends a `: keep-alive` comment every
/// `keepAlive`.
struct AuthoringEventStream: Sendable {
    let store: any AuthoringTaskRepository
    let taskID: String
    /// Events with a greater sequence are sent.
    let after: Int64
    let lifetime: Duration
    let pollInterval: Duration
    let keepAlive: Duration
    var verdictGrace: Duration = .seconds(2)
    /// The connection, watched for the client going; nil in tests without sockets.
    let channel: (any Channel)?
    /// Held for as long as the stream (its body closure) lives.
    let slot: EventStreamSlots.Slot
    let logger: Logger

    static let pageSize = 100
    /// Store reads that fail in a row before the stream gives up (the client resumes).
    static let maxFailures = 10

    var responseBody: ResponseBody {
        ResponseBody { writer in try await run(&writer) }
    }

    private func run(_ writer: inout any ResponseBodyWriter) async throws {
        let gone = ConnectionWatch(channel)
        let clock = ContinuousClock()
        let deadline = clock.now + lifetime
        var lastWrite = clock.now
        var cursor = after
        var last = await resumePoint()
        var finishedSince: ContinuousClock.Instant?
        var failures = 0
        while clock.now < deadline, !gone.isSet, !Task.isCancelled, !Task.isShuttingDownGracefully {
            var page: [AuthoringTaskEvent] = []
            var task: AuthoringTaskRecord?
            do {
                page = try await store.authoringEvents(taskID: taskID, after: cursor, limit: Self.pageSize)
                // Read after the page: a status finished here has its verdict in the page
                // or already sent, whenever both are written in one transaction.
                if page.count < Self.pageSize { task = try await store.authoringTask(id: taskID) }
                failures = 0
            } catch {
                failures += 1
                if failures >= Self.maxFailures {
                    logger.warning("authoring event stream ends: the store does not answer",
                                   metadata: ["task": "\(taskID)", "error": "\(String(reflecting: error))"])
                    break
                }
                try? await Task.sleep(for: pollInterval)
                continue
            }
            if let newest = page.last {
                guard await send(page.map(EventStreamFrame.frame).joined(), &writer) else { return }
                cursor = newest.sequence
                last = newest
                lastWrite = clock.now
                finishedSince = nil
                if page.count == Self.pageSize { continue }
            }
            guard let task else { break }  // the task is gone
            if task.status.isFinished {
                if let last, last.kind == AuthoringEventKind.verdict.rawValue, last.turn == task.turn { break }
                let since = finishedSince ?? clock.now
                if clock.now - since >= verdictGrace { break }
                finishedSince = since
            } else {
                finishedSince = nil
            }
            if clock.now - lastWrite >= keepAlive {
                guard await send(EventStreamFrame.keepAlive, &writer) else { return }
                lastWrite = clock.now
            }
            try? await Task.sleep(for: min(pollInterval, max(.zero, deadline - clock.now)))
        }
        try? await writer.finish(nil)
    }

    /// The event the client last saw, when `after` is one of this task's: so a client that
    /// resumes after the verdict gets an empty stream that ends, not one that waits.
    private func resumePoint() async -> AuthoringTaskEvent? {
        guard after > 0, let event = try? await store.authoringEvents(taskID: taskID, after: after - 1, limit: 1).first,
              event.sequence == after else { return nil }
        return event
    }

    /// Writes `text`; false when the client has gone.
    private func send(_ text: String, _ writer: inout any ResponseBodyWriter) async -> Bool {
        do {
            try await writer.write(ByteBuffer(string: text))
            return true
        } catch {
            return false
        }
    }
}

/// Whether a connection has closed: set from its close future, read by the stream's loop.
/// Without a channel (router tests) it never is.
final class ConnectionWatch: Sendable {
    private let closed = Atomic(false)

    init(_ channel: (any Channel)?) {
        channel?.closeFuture.whenComplete { [weak self] _ in self?.closed.store(true, ordering: .relaxed) }
    }

    var isSet: Bool { closed.load(ordering: .relaxed) }
}
