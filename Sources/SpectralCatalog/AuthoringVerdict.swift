import SpectralJSON

/// The `verdict` event that ends an authoring turn, built here so both stores write the
/// same JSON: from the publishing worker's effect on the submission, or from the agent.
public struct AuthoringVerdict: Sendable, Equatable {
    public var status: AuthoringTaskStatus
    public var detail: String?
    public var version: Int?
    public var impact: JSONValue?

    public init(status: AuthoringTaskStatus, detail: String? = nil, version: Int? = nil, impact: JSONValue? = nil) {
        self.status = status
        self.detail = detail
        self.version = version
        self.impact = impact
    }

    /// The verdict for a submitted predicate published as `version`: held when the
    /// activation policy kept it from going live.
    public static func published(_ version: HandlerEffect.NewVersion, number: Int) -> AuthoringVerdict {
        AuthoringVerdict(status: version.heldReason == nil ? .published : .held,
                         detail: version.heldReason ?? "\(version.request.name)@\(number)", version: number,
                         impact: version.impact?.jsonValue)
    }

    /// The verdict for a submission identical to the active version.
    public static func unchanged(name: String, version: Int) -> AuthoringVerdict {
        AuthoringVerdict(status: .published, detail: "\(name)@\(version) (unchanged: identical to the active version)", version: version)
    }

    /// The verdict for a submission the publishing worker rejected.
    public static func rejected(_ rejection: HandlerEffect.Rejection) -> AuthoringVerdict {
        AuthoringVerdict(status: .rejected, detail: rejection.diagnostics.map(\.description).joined(separator: "\n"))
    }

    /// The task's `detail` column: the version as `name@version` when published.
    public var taskDetail: String? { detail }

    /// The event's data.
    public var eventData: String {
        var members: [(String, JSONValue)] = [("verdict", .string(status.rawValue))]
        if let detail { members.append(("detail", .string(detail))) }
        if let version { members.append(("version", .number(JSONNumber(Int64(version))))) }
        if let impact { members.append(("impact", impact)) }
        return JSONValue.object(members).serialized()
    }
}
