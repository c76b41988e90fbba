/// Wake-up hints between processes.
public protocol NotificationSource: Sendable {
    /// Calls `onNotification` for every notification on `channel` until cancelled.
    /// PostgreSQL: LISTEN on a dedicated connection, re-established after failures (each
    /// reconnection also notifies, since notifications may have been missed). SQLite: an
    /// in-process signal. Notifications are hints: callers poll as well.
    func listen(to channel: NotificationChannel, onNotification: @escaping @Sendable (String) -> Void) async throws
}

/// Notification channels. Payloads: the generation (outbox) or `name@version` (predicates).
public enum NotificationChannel: String, Sendable {
    /// An event was submitted.
    case outbox = "spectral_outbox"
    /// A version was published, activated or rolled back to.
    case predicates = "spectral_predicates"
}
