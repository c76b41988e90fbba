/// A cursor over `bytes[offset..<limit]` that turns every problem into a
/// `ModuleFormatError` carrying the offset of the item being read.
///
/// `limit` is the end of the current section, so a read that runs past it is told
/// apart from one that runs past the end of the input: the first means the section's
/// declared length is wrong, the second that the input is truncated.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    var limit: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
        self.limit = bytes.count
    }

    var remaining: Int { limit - offset }
    var atEnd: Bool { offset >= limit }

    /// The error for a read of `what` starting at `start` that needed more bytes.
    func shortRead(_ what: String, at start: Int) -> ModuleFormatError {
        if limit < bytes.count {
            return ModuleFormatError(offset: start, kind: .sectionLength,
                                     message: "\(what) runs past the end of its section (section ends at byte \(limit))")
        }
        return ModuleFormatError(offset: start, kind: .truncated,
                                 message: "input ends inside \(what)")
    }

    mutating func byte(_ what: String) throws(ModuleFormatError) -> UInt8 {
        guard offset < limit else { throw shortRead(what, at: offset) }
        let b = bytes[offset]
        offset += 1
        return b
    }

    mutating func take(_ count: Int, _ what: String) throws(ModuleFormatError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw shortRead(what, at: offset) }
        let slice = bytes[offset..<(offset + count)]
        offset += count
        return slice
    }

    mutating func unsigned(_ what: String) throws(ModuleFormatError) -> UInt64 {
        let start = offset
        do {
            let (value, next) = try LEB128.decodeUnsigned(bytes, at: offset, end: limit)
            offset = next
            return value
        } catch {
            throw lebError(error, what, at: start)
        }
    }

    mutating func signed(_ what: String) throws(ModuleFormatError) -> Int64 {
        let start = offset
        do {
            let (value, next) = try LEB128.decodeSigned(bytes, at: offset, end: limit)
            offset = next
            return value
        } catch {
            throw lebError(error, what, at: start)
        }
    }

    /// An unsigned number that must fit in `Int` (a length or a count).
    mutating func length(_ what: String) throws(ModuleFormatError) -> Int {
        let start = offset
        let value = try unsigned(what)
        guard let n = Int(exactly: value) else {
            throw ModuleFormatError(offset: start, kind: .integerOverflow, message: "\(what) \(value) is too large")
        }
        return n
    }

    /// An element count, checked against the bytes left: each element takes at least
    /// `minimumSize` bytes, so a larger count cannot be honest. This is what lets the
    /// decoder reserve capacity without trusting the input.
    mutating func count(_ what: String, minimumSize: Int) throws(ModuleFormatError) -> Int {
        let start = offset
        let n = try length(what)
        guard n <= remaining / minimumSize else {
            throw ModuleFormatError(offset: start, kind: .countTooLarge,
                                    message: "\(what) \(n) exceeds what the remaining \(remaining) bytes can hold")
        }
        return n
    }

    mutating func string(_ what: String) throws(ModuleFormatError) -> String {
        let start = offset
        let n = try length("length of \(what)")
        let raw = try take(n, what)
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw ModuleFormatError(offset: start, kind: .invalidUTF8, message: "\(what) is not valid UTF-8")
        }
        return s
    }

    private func lebError(_ failure: LEB128.Failure, _ what: String, at start: Int) -> ModuleFormatError {
        switch failure {
        case .truncated:
            return shortRead(what, at: start)
        case .overflow:
            return ModuleFormatError(offset: start, kind: .integerOverflow, message: "\(what) overflows 64 bits")
        case .overlong:
            return ModuleFormatError(offset: start, kind: .overlongInteger,
                                     message: "\(what) has an overlong (non-canonical) LEB128 encoding")
        }
    }
}
