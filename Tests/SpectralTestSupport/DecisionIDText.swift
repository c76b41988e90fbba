/// Decide responses carry a fresh `decision_id` each time; tests that compare whole bodies
/// take it out first and check it on its own.
public enum DecisionIDText {
    /// `body` without its first `,"decision_id":"…"` member, and that member's value; the
    /// value is nil (and the body unchanged) when there is no such member.
    public static func removed(from body: String) -> (body: String, id: String?) {
        let key = #","decision_id":""#
        guard let start = body.range(of: key) else { return (body, nil) }
        let valueStart = start.upperBound
        guard let valueEnd = body[valueStart...].firstIndex(of: "\"") else { return (body, nil) }
        let id = String(body[valueStart..<valueEnd])
        return (String(body[..<start.lowerBound]) + String(body[body.index(after: valueEnd)...]), id)
    }

    /// Every `decision_id` value in `body`, in order.
    public static func all(in body: String) -> [String] {
        var rest = body, ids: [String] = []
        while case let (shorter, id?) = removed(from: rest) {
            ids.append(id)
            rest = shorter
        }
        return ids
    }

    /// True for a UUIDv7 in canonical lowercase text: `xxxxxxxx-xxxx-7xxx-Yxxx-xxxxxxxxxxxx`
    /// with Y one of 8, 9, a, b (RFC 9562's variant).
    public static func isUUIDv7(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 8, 13, 18, 23: guard byte == UInt8(ascii: "-") else { return false }
            case 14: guard byte == UInt8(ascii: "7") else { return false }
            case 19: guard "89ab".utf8.contains(byte) else { return false }
            default: guard "0123456789abcdef".utf8.contains(byte) else { return false }
            }
        }
        return true
    }
}
