import SpectralJSON

/// A batch decide body: one predicate, an array of input objects (their byte ranges).
///
/// As with `DecideRequest`, the common body is read by `JSONCursor`, which skips over each
/// input without making a token or a string of it; anything else is read again by the pull
/// parser, whose errors name the problem.
struct BatchDecideRequest: Equatable {
    var predicate: String
    var version: Int?
    var inputs: [ArraySlice<UInt8>]
    static let fields = ["predicate", "version", "inputs"]

    static func parse(_ bytes: [UInt8], limits: JSONLimits, maxInputs: Int) throws(APIError) -> BatchDecideRequest {
        if let request = parseDirectly(bytes, limits: limits, maxInputs: maxInputs) { return request }
        return try parseWithReader(bytes, limits: limits, maxInputs: maxInputs)
    }

    /// The body read by the cursor: the three fields in any order, nothing escaped in the
    /// name, a version written as a whole number, at most `maxInputs` inputs; nil for
    /// anything else (including every error). A repeated field counts its last value, as
    /// with the pull parser.
    static func parseDirectly(_ bytes: [UInt8], limits: JSONLimits, maxInputs: Int) -> BatchDecideRequest? {
        var predicate: String?
        var version: Int?
        var inputs: [ArraySlice<UInt8>] = []
        let read = RequestFields.readObject(bytes, limits: limits) { key, cursor throws(JSONCursor.Miss) in
            if key.elementsEqual("predicate".utf8) {
                predicate = try RequestFields.predicate(&cursor)
            } else if key.elementsEqual("inputs".utf8) {
                guard cursor.peek() == UInt8(ascii: "[") else { return false }
                try cursor.enter()
                inputs = []
                if cursor.peek() == UInt8(ascii: "]") {
                    cursor.leave()
                    return true
                }
                repeat {
                    guard cursor.peek() == UInt8(ascii: "{"), inputs.count < maxInputs else { return false }
                    let start = cursor.position
                    try cursor.skipValue()
                    inputs.append(bytes[start..<cursor.position])
                } while try cursor.next(orClose: UInt8(ascii: "]"))
            } else if key.elementsEqual("version".utf8) {
                version = try RequestFields.version(&cursor)
            } else {
                return false
            }
            return true
        }
        guard read, let predicate else { return nil }
        return BatchDecideRequest(predicate: predicate, version: version, inputs: inputs)
    }

    /// The general way: the pull parser, which says what is wrong with a body.
    static func parseWithReader(_ bytes: [UInt8], limits: JSONLimits, maxInputs: Int) throws(APIError) -> BatchDecideRequest {
        var reader = JSONReader(bytes: bytes, limits: limits)
        var predicate: String?
        var version: Int?
        var inputs: [ArraySlice<UInt8>] = []
        do {
            guard case .beginObject = try reader.next() else { throw APIError.malformed("the body must be a JSON object") }
            members: while true {
                switch try reader.next() {
                case .endObject: break members
                case .key("predicate"):
                    predicate = try RequestFields.predicate(&reader)
                case .key("version"):
                    version = try RequestFields.version(&reader)
                case .key("inputs"):
                    guard case .beginArray = try reader.next() else { throw APIError.malformed("\"inputs\" must be an array of input objects") }
                    inputs = []  // a repeated field counts its last value
                    elements: while true {
                        switch try reader.next() {
                        case .endArray: break elements
                        case .beginObject:
                            let start = reader.offset - 1  // the '{' just read
                            try DecideRequest.skipContainer(&reader)
                            inputs.append(bytes[start..<reader.offset])
                            guard inputs.count <= maxInputs else { throw APIError.malformed("a batch holds at most \(maxInputs) inputs") }
                        default: throw APIError.malformed("each element of \"inputs\" must be a JSON object")
                        }
                    }
                case .key("input"):
                    throw RequestFields.unknown("input", in: "a batch decide request", expected: fields,
                                                hint: "a batch has \"inputs\", an array; one input goes to /v1/decide")
                case .key(let key): throw RequestFields.unknown(key, in: "a batch decide request", expected: fields)
                default: throw APIError.malformed("malformed request object")
                }
            }
            guard case .end = try reader.next() else { throw APIError.malformed("unexpected data after the JSON object") }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.malformed("malformed JSON: \(error)")
        }
        guard let predicate else { throw APIError.malformed("\"predicate\" (a string) is required") }
        return BatchDecideRequest(predicate: predicate, version: version, inputs: inputs)
    }
}
