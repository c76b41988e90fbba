import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SpectralCatalog
import SpectralJSON

/// The decision log as JSON lines (`spectral serve --decision-log-jsonl -|PATH`), for log
/// shippers: one object per decision, in the shape `GET /v1/decisions/{id}` answers, each
/// on its own line, appended to a file (created if absent, never truncated, so a shipper's
/// offset stays valid across restarts) or written to standard output.
///
/// A batch is formatted into one buffer and written with as few `write` calls as the
/// kernel allows, on a thread of its own: a slow pipe (a shipper that stopped reading)
/// blocks that thread and, through the writer, fills the queue, which then drops and counts
/// decisions; it never blocks the concurrency pool that answers them.
public final class DecisionLogJSONLines: DecisionLogSink, @unchecked Sendable {
    public struct OpenError: Error, CustomStringConvertible {
        public var description: String
    }

    /// `-` for standard output, else the file's path.
    public let destination: String
    public var name: String { "jsonl" }
    /// Written to only from `queue`; `ownsDescriptor` says whether to close it.
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let queue = DispatchQueue(label: "spectral.decision-log.jsonl")

    /// Opens `destination` for appending (`-`: standard output); throws naming the path and
    /// the reason when it cannot (a missing directory, no permission).
    public init(destination: String) throws {
        self.destination = destination
        if destination == "-" {
            descriptor = 1
            ownsDescriptor = false
        } else {
            let fd = open(destination, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard fd >= 0 else {
                throw OpenError(description: "cannot open '\(destination)' for appending: \(String(cString: strerror(errno)))")
            }
            descriptor = fd
            ownsDescriptor = true
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func write(_ batch: [DecisionRecord]) async throws {
        guard !batch.isEmpty else { return }
        let bytes = Self.lines(batch)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { [descriptor] in
                continuation.resume(with: Result { try Self.writeAll(bytes, to: descriptor) })
            }
        }
    }

    /// Each record's JSON and a newline.
    static func lines(_ batch: [DecisionRecord]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.count * 256)
        for record in batch {
            bytes += record.jsonValue.serializedBytes()
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Writes every byte, resuming after partial writes and interruptions.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw OpenError(description: "writing decision log lines failed: \(String(cString: strerror(errno)))")
            }
            written += count
        }
    }
}

/// write(2), by a name the sink's own `write` does not hide.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

extension DecisionLogJSONLines: Equatable {
    /// The same sink: settings holding one compare by which stream they write.
    public static func == (a: DecisionLogJSONLines, b: DecisionLogJSONLines) -> Bool { a === b }
}
