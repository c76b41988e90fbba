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

/// Deterministic generator (SplitMix64) so generated tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
