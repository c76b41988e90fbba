import Foundation

/// What a worker process says about itself in the worker registry: which generation's
/// events it handles, and where it runs (for operators reading `spectral outbox workers`).
public struct WorkerRegistration: Sendable, Equatable {
    /// Chosen by the worker when it starts (a UUID); one per process run.
    public var id: String
    public var generation: Int64
    public var host: String
    public var pid: Int32

    public init(id: String, generation: Int64, host: String, pid: Int32) {
        self.id = id
        self.generation = generation
        self.host = host
        self.pid = pid
    }

    /// A new registration for the calling process: a fresh id, this host and pid.
    public static func thisProcess(generation: Int64) -> WorkerRegistration {
        WorkerRegistration(id: UUID().uuidString.lowercased(), generation: generation,
                           host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier)
    }
}
