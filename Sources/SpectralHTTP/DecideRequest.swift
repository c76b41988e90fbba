import SpectralJSON

/// The fields of a decide body, found in one pass without building a tree: the predicate
/// name, the optional version, and the byte range of `input`, which the VM's binder then
/// reads straight into the evaluation's arena.
///
/// The common body is read by `JSONCursor`, which skips over the input without making a
/// token or a string of it (`parseDirectly`); anything it does not expect, wrong or only
/// unusual, is read again by the pull parser, whose errors name the problem.
struct DecideRequest: Equatable {
    var predicate: String
    var version: Int?
    /// `input`'s bytes (a JSON object), or `{}` when absent.
    var input: ArraySlice<UInt8>
    /// `"explain": true`: the response explains the decision (`Explanation`).
    var explain = false

    static let emptyInput: ArraySlice<UInt8> = [0x7B, 0x7D][...]
    static let fields = ["predicate", "version", "input", "explain"]

    /// Parses one decide request, the whole body or one element of a batch.
    static func parse(_ bytes: [UInt8], limits: JSONLimits) throws(APIError) -> DecideRequest {
        if let request = parseDirectly(bytes, limits: limits) { return request }
        return try parseWithReader(bytes, limits: limits)
    }

    /// The general way: the pull parser, which says what is wrong with a body.
    static func parseWithReader(_ bytes: [UInt8], limits: JSONLimits) throws(APIError) -> DecideRequest {
        var reader = JSONReader(bytes: bytes, limits: limits)
        do {
            guard case .beginObject = try reader.next() else { throw APIError.malformed("the body must be a JSON object") }
            let request = try parseMembers(&reader, bytes: bytes)
            guard case .end = try reader.next() else { throw APIError.malformed("unexpected data after the JSON object") }
            return request
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.malformed("malformed JSON: \(error)")
        }
    }

    /// The body read by the cursor: the four fields in any order, nothing escaped in the
    /// name, a version written as a whole number; nil for anything else (including every
    /// error), which `parse` then reads the general way. A repeated field counts its last
    /// value, as there.
    static func parseDirectly(_ bytes: [UInt8], limits: JSONLimits) -> DecideRequest? {
        var predicate: String?
        var version: Int?
        var input = emptyInput
        var explain = false
        let read = RequestFields.readObject(bytes, limits: limits) { key, cursor throws(JSONCursor.Miss) in
            if key.elementsEqual("predicate".utf8) {
                predicate = try RequestFields.predicate(&cursor)
            } else if key.elementsEqual("input".utf8) {
                guard cursor.peek() == UInt8(ascii: "{") else { return false }
                let start = cursor.position
                try cursor.skipValue()
                input = bytes[start..<cursor.position]
            } else if key.elementsEqual("version".utf8) {
                version = try RequestFields.version(&cursor)
            } else if key.elementsEqual("explain".utf8) {
                switch cursor.peek() ?? 0 {
                case UInt8(ascii: "t"): try cursor.literal("true"); explain = true
                case UInt8(ascii: "f"): try cursor.literal("false"); explain = false
                default: return false
                }
            } else {
                return false
            }
            return true
        }
        guard read, let predicate else { return nil }
        return DecideRequest(predicate: predicate, version: version, input: input, explain: explain)
    }

    /// Reads the members of an object whose `{` was just read, up to and including its `}`.
    static func parseMembers(_ reader: inout JSONReader, bytes: [UInt8]) throws -> DecideRequest {
        var predicate: String?
        var version: Int?
        var input = emptyInput
        var explain = false
        while true {
            switch try reader.next() {
            case .endObject:
                guard let predicate else { throw APIError.malformed("\"predicate\" (a string) is required") }
                return DecideRequest(predicate: predicate, version: version, input: input, explain: explain)
            case .key("predicate"):
                predicate = try RequestFields.predicate(&reader)
            case .key("version"):
                version = try RequestFields.version(&reader)
            case .key("input"):
                guard case .beginObject = try reader.next() else {
                    throw APIError.malformed("\"input\" must be a JSON object of variable bindings")
                }
                let start = reader.offset - 1  // the '{' just read
                try skipContainer(&reader)
                input = bytes[start..<reader.offset]
            case .key("explain"):
                guard case .bool(let asked) = try reader.next() else { throw APIError.malformed("\"explain\" must be true or false") }
                explain = asked
            case .key("inputs"):
                throw RequestFields.unknown("inputs", in: "a decide request", expected: fields,
                                            hint: "a decide request has one 'input'; many inputs go to /v1/decide/batch")
            case .key(let key):
                throw RequestFields.unknown(key, in: "a decide request", expected: fields)
            default:
                throw APIError.malformed("malformed request object")
            }
        }
    }

    /// Skips to the end of the container whose opening token was just read.
    static func skipContainer(_ reader: inout JSONReader) throws {
        let depth = reader.depth - 1
        while reader.depth > depth { _ = try reader.next() }
    }
}
