import SpectralJSON

extension JSONWriter {
    /// Writes the id as a JSON string, formatted on the stack: no `String` is made.
    public mutating func writeDecisionID(_ id: DecisionID) {
        id.withText { writeString(utf8: $0) }
    }
}
