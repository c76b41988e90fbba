import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Spectral
import SpectralCatalog

/// Submits through a Spectral server: `POST /v1/predicates` (needs the `author` scope)
/// and `GET /v1/authoring/{id}` for the verdict.
public struct HTTPSubmitter: PredicateSubmitter {
    /// The server's root, e.g. `http://127.0.0.1:8080`.
    public let baseURL: String
    /// An `spk_…` key with the `author` scope; nil when the server runs without auth.
    let apiKey: String?
    let httpClient: HTTPClient
    let timeout: Duration

    public init(baseURL: String, apiKey: String?, httpClient: HTTPClient = AgentHTTPClient.shared, timeout: Duration = .seconds(15)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.httpClient = httpClient
        self.timeout = timeout
    }

    /// The author and whether the version goes live are the server's to decide from the
    /// key (an `author` key's versions wait for an admin), so neither is sent.
    public func submit(_ request: PredicateDefinition) async throws -> Int64 {
        guard case .object(let members) = request.jsonValue else { preconditionFailure("a definition is a JSON object") }
        let sent = JSONValue.object(members.filter { $0.0 != "author" && $0.0 != "activate" })
        let (status, body) = try await exchange(.POST, "/v1/predicates", body: sent.serializedBytes())
        guard status == 202, let id = body["event_id"]?.int64Value else {
            throw SubmissionError(status: status, body: body, action: "submitting \(request.name)")
        }
        return id
    }

    public func verdict(ofEvent id: Int64) async throws -> Verdict? {
        let (status, body) = try await exchange(.GET, "/v1/authoring/\(id)", body: nil)
        guard status == 200 else { throw SubmissionError(status: status, body: body, action: "reading authoring event \(id)") }
        let name = body["predicate"]?.stringValue ?? ""
        switch body["status"]?.stringValue {
        case "published", "unchanged":
            return .published(name: name, version: Int(body["version"]?.int64Value ?? 0))
        case "held":
            return .held(name: name, version: Int(body["version"]?.int64Value ?? 0), reason: body["held_reason"]?.stringValue ?? "",
                         impact: body["impact"].flatMap(ImpactReport.init(json:)),
                         findings: body["findings"].flatMap(VersionFindings.init(json:)))
        case "rejected":
            return .rejected(name: name, diagnostics: body["diagnostics"]?.arrayValue?.compactMap(AuthoringDiagnostic.init(json:)) ?? [])
        case "dead":
            return .deadLettered(lastError: body["last_error"]?.stringValue ?? "unknown")
        default:
            return nil
        }
    }

    private func exchange(_ method: HTTPMethod, _ path: String, body: [UInt8]?) async throws -> (Int, JSONValue) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await httpClient.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONValue.parse(Array(buffer: bytes))) ?? .null)
    }
}

/// The server refused a submission or a status read; carries its error message.
public struct SubmissionError: Error, CustomStringConvertible {
    public var status: Int
    public var message: String

    init(status: Int, body: JSONValue, action: String) {
        self.status = status
        self.message = "\(action): HTTP \(status): \(body["error"]?["message"]?.stringValue ?? body.serialized())"
    }

    public var description: String { message }
}
