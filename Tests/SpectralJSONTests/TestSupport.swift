import SpectralJSON

/// All tokens of a document, including the final `.end`.
func tokens(_ text: String, limits: JSONLimits = JSONLimits()) throws(JSONError) -> [JSONToken] {
    try tokens(Array(text.utf8), limits: limits)
}

func tokens(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONError) -> [JSONToken] {
    var reader = JSONReader(bytes: bytes, limits: limits)
    var result: [JSONToken] = []
    while true {
        let token = try reader.next()
        result.append(token)
        if token == .end { return result }
    }
}

/// The error reading `bytes` to the end produces, or nil if it is valid.
func readError(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> JSONError? {
    do {
        _ = try tokens(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

func readError(_ text: String, limits: JSONLimits = JSONLimits()) -> JSONError? {
    readError(Array(text.utf8), limits: limits)
}

func num(_ text: String) -> JSONToken {
    .number(JSONNumber(text)!)
}
