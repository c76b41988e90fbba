import Foundation
import Hummingbird
import SpectralCatalog
import SpectralJSON

/// Shadow mode: `POST /v1/predicates/{name}/shadow {"version": v, "sample": 0.1}` (admin)
/// evaluates version v on that share of the predicate's live decisions, after each is
/// answered; `GET …/shadow` (author) summarises agreement; `DELETE …/shadow` (admin) stops
/// it and returns the final summary. See `ShadowRegistry` for where a run lives.
struct ShadowRoutes {
    let server: Server

    func register(on router: Router<APIRequestContext>) {
        let reading = router.group().add(middleware: server.admitting(.author))
        reading.get("v1/predicates/:name/shadow") { _, context in try summary(try context.parameters.require("name")) }
        let administering = router.group().add(middleware: server.admitting(.admin))
        administering.post("v1/predicates/:name/shadow") { request, context in
            try await start(try context.parameters.require("name"), request)
        }
        administering.delete("v1/predicates/:name/shadow") { _, context in try stop(try context.parameters.require("name")) }
    }

    static let fields = ["version", "sample"]

    func start(_ name: String, _ request: Request) async throws -> Response {
        let body = try await server.body(of: request)
        guard let json = try? JSONValue.parse(body, limits: server.jsonLimits), let members = json.objectValue else {
            throw APIError.malformed(#"the body must be {"version": N, "sample": 0.1}"#)
        }
        if let key = members.map(\.0).first(where: { !Self.fields.contains($0) }) {
            throw RequestFields.unknown(key, in: "a shadow run", expected: Self.fields)
        }
        guard case .number(let number)? = json["version"], let version = RequestFields.version(number) else {
            throw APIError.malformed(RequestFields.versionMessage)
        }
        var sample = LogSampleRate.all
        if let field = json["sample"], !field.isNull {
            guard let value = field.doubleValue, let rate = try? LogSampleRate(value) else {
                throw APIError.malformed("\"sample\" must be a number from 0 to 1")
            }
            sample = rate
        }
        // The version must exist and load: the same check the decide path would make.
        _ = try await server.cache.entry(name, version: version)
        let run = ShadowRegistry.Run(name: name, version: version, sample: sample, startedAt: Date())
        server.shadows.start(run)
        return JSONResponse.make(Self.json(run, ShadowRegistry.Tally()), status: .created)
    }

    func summary(_ name: String) throws -> Response {
        guard let (run, tally) = server.shadows.summary(name) else { throw APIError.notFound("no shadow run for '\(name)'") }
        return JSONResponse.make(Self.json(run, tally))
    }

    func stop(_ name: String) throws -> Response {
        guard let (run, tally) = server.shadows.stop(name) else { throw APIError.notFound("no shadow run for '\(name)'") }
        return JSONResponse.make(Self.json(run, tally))
    }

    /// `{"predicate", "version", "sample", "started_at", "evaluated", "agreed", "disagreed",
    /// "changes": {kind: n}, "dropped", "disagreements": [{"decision_id", "input", "active", "shadow"}]}`.
    static func json(_ run: ShadowRegistry.Run, _ tally: ShadowRegistry.Tally) -> JSONValue {
        func number(_ n: Int) -> JSONValue { .number(JSONNumber(Int64(n))) }
        return .object([
            ("predicate", .string(run.name)),
            ("version", number(run.version)),
            ("sample", JSONNumber(run.sample.value).map(JSONValue.number) ?? .null),
            ("started_at", .string(ISO8601DateFormatter().string(from: run.startedAt))),
            ("evaluated", number(tally.evaluated)),
            ("agreed", number(tally.agreed)),
            ("disagreed", number(tally.disagreed)),
            ("changes", ImpactReport.Change.countsJSON(tally.changes)),
            ("dropped", number(tally.dropped)),
            ("disagreements", .array(tally.examples.map { example in
                .object([
                    ("decision_id", .string(example.decisionID.text)),
                    ("input", (try? JSONValue.parse(example.input)) ?? .string(example.input)),
                    ("active", example.active.jsonValue),
                    ("shadow", example.shadow.jsonValue),
                ])
            })),
        ])
    }
}
