import Foundation

/// A row of the worker registry, as the store reads it back.
public struct RegisteredWorker: Sendable, Equatable {
    public var registration: WorkerRegistration
    public var startedAt: Date
    public var heartbeatAt: Date
    /// When it marked itself stopped after its drain; nil while it runs, or after it died
    /// without saying so (then only its heartbeat ages).
    public var stoppedAt: Date?
    /// Seconds since its last heartbeat, by the database's clock.
    public var silentFor: Double

    public init(registration: WorkerRegistration, startedAt: Date, heartbeatAt: Date, stoppedAt: Date?, silentFor: Double) {
        self.registration = registration
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.stoppedAt = stoppedAt
        self.silentFor = silentFor
    }

    /// Whether it counts as running for a worker that adopts after `silence`: not stopped,
    /// and heard from within `silence`. The store applies the same rule in its claim query.
    public func isRunning(silence: Duration) -> Bool {
        stoppedAt == nil && silentFor <= silence.inSeconds
    }
}
