import Foundation
import GRDB
import SpectralTestSupport

/// Row counts that prove exactly-once handling, read straight from the tables.
struct Census: Equatable, CustomStringConvertible {
    var outboxDone = 0
    var outboxPending = 0
    var outboxDead = 0
    var handled = 0
    var distinctHandled = 0
    var predicateVersions = 0
    var distinctVersionEvents = 0
    var rejections = 0
    /// Names whose versions are not exactly 1…n.
    var namesWithGaps = 0

    var description: String {
        "outbox done \(outboxDone) pending \(outboxPending) dead \(outboxDead); event_handled \(handled) (distinct \(distinctHandled)); "
            + "versions \(predicateVersions) (distinct events \(distinctVersionEvents)); rejections \(rejections); names with gaps \(namesWithGaps)"
    }

    static var queries: [(WritableKeyPath<Census, Int>, String)] { [
        (\.outboxDone, "SELECT count(*) FROM %outbox WHERE status = 'done'"),
        (\.outboxPending, "SELECT count(*) FROM %outbox WHERE status = 'pending'"),
        (\.outboxDead, "SELECT count(*) FROM %outbox WHERE status = 'dead'"),
        (\.handled, "SELECT count(*) FROM %event_handled"),
        (\.distinctHandled, "SELECT count(DISTINCT event_id) FROM %event_handled"),
        (\.predicateVersions, "SELECT count(*) FROM %predicates"),
        (\.distinctVersionEvents, "SELECT count(DISTINCT event_id) FROM %predicates"),
        (\.rejections, "SELECT count(*) FROM %rejections"),
        (\.namesWithGaps, "SELECT count(*) FROM (SELECT name FROM %predicates GROUP BY name HAVING max(version) != count(*) OR min(version) != 1) AS g"),
    ] }

    /// Reads the census of the store at `url` (`sqlite:PATH` or a test server's postgres URL).
    static func take(url: String, server: PostgresServer? = nil) throws -> Census {
        var census = Census()
        if url.hasPrefix("sqlite:") {
            let queue = try DatabaseQueue(path: String(url.dropFirst("sqlite:".count)))
            try queue.read { db in
                for (field, sql) in queries {
                    census[keyPath: field] = try Int.fetchOne(db, sql: sql.replacingOccurrences(of: "%", with: "")) ?? -1
                }
            }
        } else {
            let server = try server ?? PostgresServer.shared()
            let database = String(url.split(separator: "/").last!.split(separator: "?").first!)
            for (field, sql) in queries {
                let output = try server.psql(database, sql.replacingOccurrences(of: "%", with: "spectral."))
                census[keyPath: field] = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            }
        }
        return census
    }
}
