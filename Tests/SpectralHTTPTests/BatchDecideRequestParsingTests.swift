import SpectralJSON
@testable import SpectralHTTP
import Testing

/// The batch decide body read two ways, as `DecideRequestParsingTests` does for one decide:
/// the cursor's (`parseDirectly`) must read every body it takes exactly as the pull parser
/// does, and leave to it every body the parser refuses, so that errors keep their words.
@Suite struct BatchDecideRequestParsingTests {
    static let bodies = [
        #"{"predicate": "risk", "inputs": [{"txn": {"amount": 12.5, "tags": ["a", "b"]}}, {"n": null}]}"#,
        #"{"inputs": [], "version": 3, "predicate": "p"}"#,
        #"{"predicate": "p", "version": null, "inputs": [{}, {"a": {"b": [1, {}]}}, {}]}"#,
        #"{"predicate":"p","inputs":[{"x":1}],"inputs":[{"y":2}]}"#,
        #" {"predicate" : "ünïcode ✓", "inputs" : [ {"a" : [true, false, -0.5e2]} ] } "#,
    ]

    static let limits = JSONLimits(maxDepth: 8, maxBytes: 1 << 20)
    static let maxInputs = 3

    enum Outcome: Equatable {
        case read(BatchDecideRequest)
        case refused(String)
    }

    static func general(_ bytes: [UInt8]) -> Outcome {
        do { return .read(try BatchDecideRequest.parseWithReader(bytes, limits: limits, maxInputs: maxInputs)) } catch {
            return .refused(error.message)
        }
    }

    @Test(arguments: bodies)
    func theCursorReadsThePlainBodies(_ text: String) throws {
        let bytes = Array(text.utf8)
        let direct = try #require(BatchDecideRequest.parseDirectly(bytes, limits: Self.limits, maxInputs: Self.maxInputs), "\(text)")
        #expect(Outcome.read(direct) == Self.general(bytes))
    }

    @Test func aRepeatedFieldCountsItsLastValue() throws {
        let bytes = Array(Self.bodies[3].utf8)
        let read = try BatchDecideRequest.parse(bytes, limits: Self.limits, maxInputs: Self.maxInputs)
        #expect(read.inputs.map { String(decoding: $0, as: UTF8.self) } == [#"{"y":2}"#])
    }

    /// Every prefix, every one-byte change and a few whole-field changes of the bodies.
    @Test func theCursorNeverDisagreesWithTheReader() {
        var variants = BodyVariants.near(Self.bodies)
        variants += [
            #"{"predicate": "p", "version": 0, "inputs": []}"#, #"{"predicate": "p", "version": 2147483648}"#,
            #"{"predicate": "p", "version": 1.0}"#, #"{"predicate": "p", "input": {}}"#, #"{"predicate": "p", "other": 1}"#,
            #"{"predicate": "p\u0041", "inputs": []}"#, #"{"predicate": "p", "inputs": [{"s": "\n"}]}"#, #"{"predicate": 1}"#,
            #"[]"#, #"{}"#, #"{"predicate": "p", "inputs": {}}"#, #"{"predicate": "p", "inputs": [1]}"#,
            #"{"predicate": "p", "inputs": [{}, {}, {}, {}]}"#, #"{"predicate": "p", "inputs": [{}, {}, {}]}"#,
            #"{"predicate": "p", "inputs": [{},]}"#, #"{"predicate": "p"} x"#,
            #"{"predicate": "p", "inputs": [{"a": [[[[[[1]]]]]]}]}"#, #"{"predicate": "p", "inputs": [{"a": [[[[[[[1]]]]]]]}]}"#,
        ].map { Array($0.utf8) }
        var direct = 0
        for bytes in variants {
            let general = Self.general(bytes)
            guard let read = BatchDecideRequest.parseDirectly(bytes, limits: Self.limits, maxInputs: Self.maxInputs) else { continue }
            direct += 1
            #expect(Outcome.read(read) == general, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(direct > 100 && direct < variants.count / 2, "the cursor read \(direct) of \(variants.count)")
    }
}
