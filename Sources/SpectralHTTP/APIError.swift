import Hummingbird
import SpectralCatalog
import SpectralJSON

/// Every error the API answers with: `{"error": {"code", "message", "details"?}}` and the
/// status DESIGN §6 assigns (400 malformed, 404 unknown, 413 too large, 422 evaluation
/// error, 503 store down).
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: JSONValue?
    /// Sent as `Retry-After` (rate limits).
    public var retryAfterSeconds: Int?
    /// Sent with `Connection: close`: the request was not read to its end.
    public var closesConnection = false
    /// Sent as `Allow` (405).
    public var allow: [String]?
    /// What went wrong underneath, for the log only: a store's own error text can name
    /// tables, files and settings, which a client has no business seeing.
    public var logDetail: String?
    /// A decision that failed (422 from `POST /v1/decide`) is still a decision, logged under
    /// its id: the body carries `fuel_used` and `decision_id` beside `error`, as a failed
    /// result of a batch does, so the caller can find it in the log.
    public var decisionID: DecisionID?
    public var fuelUsed: UInt64?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, details: JSONValue? = nil, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var jsonValue: JSONValue {
        var error: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(message))]
        if let details { error.append(("details", details)) }
        var members: [(String, JSONValue)] = [("error", .object(error))]
        if let fuelUsed { members.append(("fuel_used", .number(JSONNumber(fuelUsed)))) }
        if let decisionID { members.append(("decision_id", .string(decisionID.text))) }
        return .object(members)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(jsonValue, status: status)
        if let retryAfterSeconds { response.headers[.retryAfter] = String(max(1, retryAfterSeconds)) }
        if closesConnection { response.headers[.connection] = "close" }
        if let allow { response.headers[.allow] = allow.joined(separator: ", ") }
        return response
    }

    static func malformed(_ message: String) -> APIError { APIError(.badRequest, code: "malformed_request", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, code: "not_found", message) }
    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "body_too_large", "the request body exceeds \(limit) bytes")
    }
    static func storeUnavailable(_ error: any Error) -> APIError {
        var unavailable = APIError(.serviceUnavailable, code: "store_unavailable", "the predicate store is unavailable; try again shortly",
                                   retryAfterSeconds: 1)
        unavailable.logDetail = String(describing: error)
        return unavailable
    }
}

/// JSON responses.
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        make(bytes: value.serializedBytes(), status: status)
    }

    static func make(bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
