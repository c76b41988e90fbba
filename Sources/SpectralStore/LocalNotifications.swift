import SpectralCatalog
import Synchronization

/// The in-process stand-in for NOTIFY when the store is SQLite: commits post here, and
/// listeners in the same process hear them. Other processes on the same file rely on
/// polling.
final class LocalNotifications: Sendable {
    static let shared = LocalNotifications()

    private struct Listener {
        var path: String
        var channel: NotificationChannel
        var deliver: @Sendable (String) -> Void
    }

    private let listeners = Mutex<[Int: Listener]>([:])
    private let nextID = Atomic<Int>(0)

    func post(path: String, channel: NotificationChannel, payload: String) {
        let targets = listeners.withLock { $0.values.filter { $0.path == path && $0.channel == channel } }
        for listener in targets { listener.deliver(payload) }
    }

    /// Delivers posts until the calling task is cancelled. Like a PostgreSQL listener that
    /// has connected, it first delivers an empty payload once it is registered: callers
    /// learn that from then on they hear every post, and treat it as "something may have
    /// been missed".
    func listen(path: String, channel: NotificationChannel, deliver: @escaping @Sendable (String) -> Void) async {
        let id = nextID.add(1, ordering: .relaxed).newValue
        listeners.withLock { $0[id] = Listener(path: path, channel: channel, deliver: deliver) }
        deliver("")
        defer { _ = listeners.withLock { $0.removeValue(forKey: id) } }
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}
