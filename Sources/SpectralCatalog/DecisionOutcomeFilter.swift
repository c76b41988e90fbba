/// Which outcomes a decision log listing keeps (`outcome=` on `GET /v1/decisions`, `--outcome`
/// on `spectral decisions list`), written as one word:
///
/// - `decided`: every decision that produced a value; `failed`: every one that ended in an
///   error.
/// - `true` / `false`: decided, and the value was that boolean (most predicates are
///   yes/no, and "who was refused" is the question an auditor asks first).
/// - any other word is an error code (`invalid_input`, `evaluation_error`,
///   `fuel_exhausted`, …): failed with exactly that code.
public enum DecisionOutcomeFilter: Sendable, Equatable {
    case decided
    case failed
    case decision(Bool)
    case errorCode(String)

    /// Parses the word; nil for anything that is not one of the forms above. An error code is
    /// lowercase letters, digits and underscores, starting with a letter, at most 64 long:
    /// the API's codes all are, and anything else could match nothing.
    public init?(text: some StringProtocol) {
        switch text {
        case "decided": self = .decided
        case "failed": self = .failed
        case "true": self = .decision(true)
        case "false": self = .decision(false)
        default:
            let bytes = Array(text.utf8)
            guard (1...64).contains(bytes.count), let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
                  bytes.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") })
            else { return nil }
            self = .errorCode(String(text))
        }
    }

    /// The word it parses from.
    public var text: String {
        switch self {
        case .decided: return "decided"
        case .failed: return "failed"
        case .decision(let value): return value ? "true" : "false"
        case .errorCode(let code): return code
        }
    }

    /// What the message for a word that does not parse says.
    public static let expected = "decided, failed, true, false or an error code such as invalid_input"

    /// The SQL condition on the `decision` and `error_code` columns, with at most one
    /// parameter (`placeholder`) and its value: the same text on both backends. A decided
    /// boolean is stored as the JSON text `true` or `false`.
    public func sqlCondition(placeholder: String) -> (sql: String, value: String?) {
        switch self {
        case .decided: return ("decision IS NOT NULL", nil)
        case .failed: return ("error_code IS NOT NULL", nil)
        case .decision(let value): return ("decision = \(placeholder)", value ? "true" : "false")
        case .errorCode(let code): return ("error_code = \(placeholder)", code)
        }
    }
}
