import SpectralCatalog
import Logging
import PostgresNIO

/// LISTEN on one dedicated connection (pooled connections cannot hold a LISTEN), kept
/// open across server restarts: after a failure it reconnects with backoff, and every
/// (re)connection counts as a notification, because NOTIFYs sent while it was away are
/// lost. Runs until its task is cancelled; UNLISTEN happens as it leaves.
struct PostgresListener {
    var location: PostgresLocation
    var channel: NotificationChannel
    var logger: Logger

    func run(onNotification: @escaping @Sendable (String) -> Void) async throws {
        var delay = Duration.milliseconds(100)
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try configuration(), id: connectionID, logger: logger)
                do {
                    try await connection.listen(on: channel.rawValue) { notifications in
                        logger.debug("listening", metadata: ["channel": "\(channel.rawValue)"])
                        delay = .milliseconds(100)
                        onNotification("")
                        for try await notification in notifications { onNotification(notification.payload) }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { break }
                logger.warning("LISTEN connection lost; reconnecting",
                               metadata: ["channel": "\(channel.rawValue)", "error": "\(String(reflecting: error))", "retry_in": "\(delay)"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    private func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch location.sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tls = .prefer(try NIOSSLContext(configuration: configuration))
        }
        return PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                password: location.password, database: location.database, tls: tls)
    }
}
