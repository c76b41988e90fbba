import SpectralBytecode
import SpectralTime

extension InputSchema.StringFormat {
    /// Whether the binder accepts `text` in this format. The one rule: public so that what
    /// makes inputs (the authoring agent's samples) follows the binder exactly.
    public func admits(_ text: String) -> Bool {
        let bytes = Array(text.utf8)[...]
        switch self {
        case .ipv4: return IPAddress.parseIPv4(bytes) != nil
        case .ipv6: return IPAddress.parseIPv6(bytes) != nil
        }
    }
}

extension InputSchema {
    /// Whether the binder accepts `text` for `format: date-time`: RFC 3339 within the
    /// range of a CEL timestamp.
    public static func admitsDateTime(_ text: String) -> Bool {
        (try? Timestamp.parse(text)) != nil
    }
}
