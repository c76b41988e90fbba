import SpectralJSON
@testable import SpectralHTTP
import Testing

/// The decide body read two ways: the cursor's (`parseDirectly`) must read every body it
/// takes exactly as the pull parser does, and leave to it every body the parser refuses,
/// so that errors keep their words.
@Suite struct DecideRequestParsingTests {
    static let bodies = [
        #"{"predicate": "risk", "input": {"txn": {"amount": 12.5, "tags": ["a", "b"]}, "n": null}}"#,
        #"{"input": {}, "version": 3, "predicate": "p", "explain": true}"#,
        #"{"predicate": "p", "version": null, "explain": false}"#,
        #"{"predicate":"p","predicate":"q","input":{"x":[[1],{"y":{}}]}}"#,
        #" {"predicate" : "ünïcode ✓", "input" : {"a" : [true, false, -0.5e2]} } "#,
    ]

    static let limits = JSONLimits(maxDepth: 8, maxBytes: 1 << 20)

    enum Outcome: Equatable {
        case read(DecideRequest)
        case refused(String)
    }

    static func general(_ bytes: [UInt8]) -> Outcome {
        do { return .read(try DecideRequest.parseWithReader(bytes, limits: limits)) } catch { return .refused(error.message) }
    }

    @Test(arguments: bodies)
    func theCursorReadsThePlainBodies(_ text: String) throws {
        let bytes = Array(text.utf8)
        let direct = try #require(DecideRequest.parseDirectly(bytes, limits: Self.limits), "\(text)")
        #expect(Outcome.read(direct) == Self.general(bytes))
    }

    /// Every prefix, every one-byte change and a few whole-field changes of the bodies.
    @Test func theCursorNeverDisagreesWithTheReader() {
        var variants = BodyVariants.near(Self.bodies)
        variants += [
            #"{"predicate": "p", "version": 0}"#, #"{"predicate": "p", "version": 2147483648}"#, #"{"predicate": "p", "version": 1.0}"#,
            #"{"predicate": "p", "version": 01}"#, #"{"predicate": "p", "inputs": []}"#, #"{"predicate": "p", "other": 1}"#,
            #"{"predicate": "p\u0041"}"#, #"{"predicate": "p", "input": {"s": "\n"}}"#, #"{"predicate": 1}"#, #"[]"#, #"{}"#,
            #"{"predicate": "p", "input": [1]}"#, #"{"predicate": "p", "explain": 1}"#, #"{"predicate": "p"} x"#,
            #"{"predicate": "p", "input": {"a": [[[[[[[[1]]]]]]]]}}"#,
        ].map { Array($0.utf8) }
        var direct = 0
        for bytes in variants {
            let general = Self.general(bytes)
            guard let read = DecideRequest.parseDirectly(bytes, limits: Self.limits) else { continue }
            direct += 1
            #expect(Outcome.read(read) == general, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(direct > 100 && direct < variants.count / 2, "the cursor read \(direct) of \(variants.count)")
    }
}
