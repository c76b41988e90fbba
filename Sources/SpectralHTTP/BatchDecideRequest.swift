import SpectralJSON

/// A batch decide body: one predicate, an array of input objects (their byte ranges).
struct BatchDecideRequest {
    var predicate: String
    var version: Int?
    var inputs: [ArraySlice<UInt8>]
    static let fields = ["predicate", "version", "inputs"]

    static func parse(_ bytes: [UInt8], limits: JSONLimits, maxInputs: Int) throws(APIError) -> BatchDecideRequest {
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
                    guard case .string(let name) = try reader.next() else { throw APIError.malformed("\"predicate\" must be a string") }
                    predicate = name
                case .key("version"):
                    switch try reader.next() {
                    case .null: version = nil
                    case .number(let number):
                        guard let value = RequestFields.version(number) else { throw APIError.malformed(RequestFields.versionMessage) }
                        version = value
                    default: throw APIError.malformed(RequestFields.versionMessage)
                    }
                case .key("inputs"):
                    guard case .beginArray = try reader.next() else { throw APIError.malformed("\"inputs\" must be an array of input objects") }
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
