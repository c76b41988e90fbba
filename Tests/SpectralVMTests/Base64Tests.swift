import Foundation
import SpectralVM
import Testing

/// The one base64 codec of the project (CEL's `base64`, bytes in JSON, the conformance
/// files, JWT fixtures): RFC 4648 vectors, round trips in both alphabets with and without
/// padding, Foundation as the oracle, and the input it must refuse.
struct Base64Tests {
    @Test func rfc4648Vectors() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.encode(Array(plain.utf8), padding: false) == encoded.replacingOccurrences(of: "=", with: ""))
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
    }

    @Test func alphabetsDifferOnlyInTheLastTwoSymbols() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64.encode(bytes, alphabet: .url) == "-_-_")
        #expect(Base64.decode("-_-_", alphabet: .url) == bytes)
        #expect(Base64.decode("-_-_") == nil, "URL-safe symbols are not standard ones")
        #expect(Base64.decode("+/+/", alphabet: .url) == nil, "and the other way round")
    }

    @Test func roundTripsAgreeWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let standard = Data(bytes).base64EncodedString()
            let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(Base64.encode(bytes) == standard)
            #expect(Base64.encode(bytes, alphabet: .url) == url)
            #expect(Base64.encode(bytes, alphabet: .url, padding: false) == url.replacingOccurrences(of: "=", with: ""))
            for alphabet in [Base64.Alphabet.standard, .url] {
                for padding in [true, false] {
                    #expect(Base64.decode(Base64.encode(bytes, alphabet: alphabet, padding: padding), alphabet: alphabet) == bytes)
                }
            }
        }
    }

    @Test func refusesWhatIsNotBase64() {
        for text in ["a", "abcde", "aGVsbG8*", "aG=k", "a===", "aGk", "aGk==", "=", "==", "aGVsbG8 ", " aGk=", "é"] {
            let expected: [UInt8]? = text == "aGk" ? Array("hi".utf8) : nil
            #expect(Base64.decode(text) == expected, "\(text)")
        }
        #expect(Base64.decode("aG\nk=\r\n") == Array("hi".utf8), "line breaks are skipped, as Go's decoder does")
    }
}
