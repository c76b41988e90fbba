import SpectralJSON
import Testing

/// `JSONCursor.take(key:)`, which compares a key a word at a time: it takes exactly the key
/// it is given, of every length around the word sizes, and nothing that differs in one byte.
@Suite struct CursorKeyTests {
    /// Whether `take(key: name)` takes the first key of `text`, and where it left the cursor.
    static func take(_ name: [UInt8], in text: [UInt8]) throws -> (taken: Bool, position: Int) {
        try text.withUnsafeBufferPointer { buffer in
            try name.withUnsafeBufferPointer { name in
                var cursor = JSONCursor(bytes: buffer, limits: JSONLimits())
                try cursor.enter()
                #expect(cursor.peek() == UInt8(ascii: "\""))
                return (try cursor.take(key: name), cursor.position)
            }
        }
    }

    static func object(withKey key: [UInt8]) -> [UInt8] {
        Array("{\"".utf8) + key + Array("\": 1}".utf8)
    }

    @Test(arguments: 0...20)
    func takesTheKeyItIsGivenAndNoOther(_ length: Int) throws {
        let name = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let text = Self.object(withKey: name)
        let taken = try Self.take(name, in: text)
        #expect(taken.taken)
        #expect(taken.position == 2 + length + 2, "past the key's closing quote and the colon")
        for i in 0..<length {
            var other = name
            other[i] = UInt8(ascii: "Z")
            let missed = try Self.take(other, in: text)
            #expect(!missed.taken && missed.position == 1, "differs at \(i) of \(length): nothing consumed")
        }
        #expect(try !Self.take(name + [UInt8(ascii: "x")], in: text).taken, "a longer name")
        if length > 0 { #expect(try !Self.take(Array(name.dropLast()), in: text).taken, "a shorter name") }
    }
}
