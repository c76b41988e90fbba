import Foundation
import Hummingbird
import SpectralCatalog
import SpectralJSON
import SpectralTime

/// Reading the decision log: `GET /v1/decisions/{id}` and
/// `GET /v1/decisions?predicate=&version=&since=&until=&outcome=&shadow=&limit=&cursor=` (newest
/// first, a page at a time: the cursor is the last id of the page before), and
/// `GET /v1/decisions/{id}/explain` (the logged input re-run on the logged version,
/// explained). All need `audit` (or `admin`): a logged input is the caller's data, not the
/// decider's, and an explanation quotes the predicate's source.
struct DecisionRoutes {
    let server: Server

    /// A page holds at most this many decisions (`limit`), 50 unless asked.
    static let maxLimit = 500
    static let defaultLimit = 50

    func register(on router: Router<APIRequestContext>) {
        let auditing = router.group().add(middleware: server.admitting(.audit))
        auditing.get("v1/decisions") { request, _ in try await list(request) }
        auditing.get("v1/decisions/:id") { _, context in try await show(try context.parameters.require("id")) }
        auditing.get("v1/decisions/:id/explain") { _, context in try await explain(try context.parameters.require("id")) }
    }

    func show(_ text: String) async throws -> Response {
        JSONResponse.make(try await record(text).jsonValue)
    }

    private func record(_ text: String) async throws -> DecisionRecord {
        guard let id = DecisionID(text: text) else {
            throw APIError.malformed("a decision id is a UUID such as 01890a5d-ac96-774b-bcce-b302099a8057")
        }
        let record = try await server.storeCall { try await server.store.decision(id: id) }
        guard let record else { throw APIError.notFound("no decision \(id.text) is logged") }
        return record
    }

    /// Re-runs the logged input on the logged version, explained: `{"decision_id",
    /// "predicate", "version", "logged", "replayed", "same_outcome", "explanation"}`. The
    /// replay can differ from the log when the log masked a field the predicate reads
    /// (masked values are not kept), which `same_outcome` says.
    func explain(_ text: String) async throws -> Response {
        let record = try await record(text)
        let explaining = try await server.explainers.entry(record.predicate, version: record.version, store: server.store)
        let input = Array(record.input.utf8)
        let explanation = try await server.lane.run(mayBeLong: true) {
            explaining.explainer.explain(json: input, masks: explaining.masks)
        }
        // Compared as the impact replay compares: the same decision, or the same error code.
        let logged = ImpactOutcome(record.outcome), replay = ImpactOutcome(explanation.evaluation)
        let replayed: JSONValue
        switch explanation.evaluation.result {
        case .success(let value):
            replayed = .object([("decision", value.jsonValue), ("fuel_used", .number(JSONNumber(explanation.evaluation.fuelUsed)))])
        case .failure(let error):
            let apiError = APIError(evaluationError: error, location: nil, reference: "\(record.predicate)@\(record.version)")
            replayed = .object([("error_code", .string(apiError.code)), ("message", .string(apiError.message))])
        }
        return JSONResponse.make(.object([
            ("decision_id", .string(record.id.text)),
            ("predicate", .string(record.predicate)),
            ("version", .number(JSONNumber(Int64(record.version)))),
            ("logged", logged.jsonValue),
            ("replayed", replayed),
            ("same_outcome", .bool(logged == replay)),
            ("explanation", explanation.root?.jsonValue ?? .null),
        ]))
    }

    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = DecisionLogFilter()
        if let name = query["predicate"] {
            guard PredicateDefinition.isValidName(String(name)) else { throw APIError.malformed("'predicate' is not a predicate name") }
            filter.predicate = String(name)
        }
        if let text = query["version"] {
            guard let number = JSONNumber(String(text)), let version = RequestFields.version(number) else {
                throw APIError.malformed("'version' must be an integer from 1 to 2147483647")
            }
            guard filter.predicate != nil else {
                throw APIError(.unprocessableContent, code: "invalid_query", "'version' needs 'predicate': a version number means nothing across predicates")
            }
            filter.version = version
        }
        filter.since = try Self.time(query["since"], "since")
        filter.until = try Self.time(query["until"], "until")
        if let text = query["outcome"] {
            guard let outcome = DecisionOutcomeFilter(text: text) else {
                throw APIError.malformed("'outcome' must be \(DecisionOutcomeFilter.expected)")
            }
            filter.outcome = outcome
        }
        if let text = query["shadow"] {
            switch text {
            case "true": filter.shadow = true
            case "false": filter.shadow = false
            default: throw APIError.malformed("'shadow' must be true (shadow versions' disagreements) or false (the decisions answered)")
            }
        }
        var limit = Self.defaultLimit
        if let text = query["limit"] {
            guard let asked = Int(String(text)), (1...Self.maxLimit).contains(asked) else {
                throw APIError.malformed("'limit' must be an integer from 1 to \(Self.maxLimit)")
            }
            limit = asked
        }
        var cursor: DecisionID?
        if let text = query["cursor"] {
            guard let id = DecisionID(text: text) else { throw APIError.malformed("'cursor' must be the next_cursor of a page") }
            cursor = id
        }
        let page = try await server.storeCall { try await server.store.decisions(matching: filter, limit: limit, after: cursor) }
        return JSONResponse.make(.object([
            ("decisions", .array(page.records.map(\.jsonValue))),
            ("next_cursor", page.nextCursor.map { .string($0.text) } ?? .null),
        ]))
    }

    /// An RFC 3339 time (`2026-12-06T15:00:00Z`), or nil when the parameter is absent.
    /// One that does not parse is 422: the document says `format: date-time`, which not
    /// every validator enforces, so a schema-valid request must not be told it is malformed.
    private static func time(_ text: Substring?, _ name: String) throws -> Date? {
        guard let text else { return nil }
        guard let time = try? Timestamp.parse(String(text)) else {
            throw APIError(.unprocessableContent, code: "invalid_query", "'\(name)' must be an RFC 3339 time such as 2026-12-06T15:00:00Z")
        }
        return Date(timeIntervalSince1970: Double(time.seconds) + Double(time.nanos) / 1e9)
    }
}
