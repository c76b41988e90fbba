import Spectral

/// The JSON form of a status, shared by `spectral status --json` and the HTTP API.
extension EventStatus {
    public func jsonValue(eventID: Int64) -> JSONValue {
        var members: [(String, JSONValue)] = [("event_id", .number(JSONNumber(eventID))), ("status", .string(label))]
        switch self {
        case .pending(let attempts, let lastError), .deadLettered(let attempts, let lastError):
            members.append(("attempts", .number(JSONNumber(Int64(attempts)))))
            members.append(("last_error", lastError.map(JSONValue.string) ?? .null))
        case .published(let name, let version):
            members.append(("predicate", .string(name)))
            members.append(("version", .number(JSONNumber(Int64(version)))))
        case .held(let name, let version, let reason, let impact, let findings):
            members.append(("predicate", .string(name)))
            members.append(("version", .number(JSONNumber(Int64(version)))))
            members.append(("held_reason", .string(reason)))
            members.append(("impact", impact?.jsonValue ?? .null))
            members.append(("findings", findings?.jsonValue ?? .null))
        case .unchanged(let name, let version):
            members.append(("predicate", .string(name)))
            members.append(("version", .number(JSONNumber(Int64(version)))))
            members.append(("message", .string("identical to the active version \(name)@\(version): nothing was published")))
        case .rejected(let name, let diagnostics):
            members.append(("predicate", .string(name)))
            members.append(("diagnostics", .array(diagnostics.map(\.jsonValue))))
        case .handled:
            break
        }
        return .object(members)
    }
}
