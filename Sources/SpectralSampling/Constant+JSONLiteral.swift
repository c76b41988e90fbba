import Spectral

extension Constant {
    /// The JSON a scalar constant is written as; nil for the kinds JSON has no literal for.
    public var jsonLiteral: JSONValue? {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let integer): return .number(JSONNumber(integer))
        case .uint(let integer): return .number(JSONNumber(integer))
        case .double(let number): return JSONNumber(number).map(JSONValue.number)
        case .string(let text): return .string(text)
        default: return nil
        }
    }
}
