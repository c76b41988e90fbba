import Testing
@testable import SpectralVM

@Suite struct StringFormatterTests {
    private func format(_ template: String, _ build: (inout Harness) -> [Value]) throws -> Outcome {
        var h = Harness()
        let args = build(&h)
        let list = h.list(args)
        return try h.method(h.str(template), "format", list)
    }

    @Test func clauses() throws {
        let cases: [(String, (inout Harness) -> [Value], String)] = [
            ("str is %s and some more", { [$0.str("filler")] }, "str is filler and some more"),
            ("%% and also %%", { _ in [] }, "% and also %"),
            ("%%%s%%", { [$0.str("text")] }, "%text%"),
            ("%d %d %d, %s %s %s", { h in [.int(1), .int(2), .int(3), h.str("A"), h.str("B"), h.str("C")] }, "1 2 3, A B C"),
            ("%.3f", { _ in [.double(1.2345)] }, "1.234"),
            ("unsigned 64 in binary: %b", { _ in [.uint(64)] }, "unsigned 64 in binary: 1000000"),
            ("%o", { _ in [.uint(65535)] }, "177777"),
            ("%x is 20 in hexadecimal", { _ in [.int(30)] }, "1e is 20 in hexadecimal"),
            ("%X", { _ in [.int(30)] }, "1E"),
            ("%X", { _ in [.uint(6000)] }, "1770"),
            ("%x", { [$0.str("Hello world!")] }, "48656c6c6f20776f726c6421"),
            ("%X", { [try! $0.heap.makeBytes(Array("byte string".utf8))] }, "6279746520737472696E67"),
            ("%.6e", { _ in [.double(1052.032911275)] }, "1.052033e+03"),
            ("%f", { _ in [.double(2.71828)] }, "2.718280"),
            ("%f", { _ in [.int(2)] }, "2.000000"),
            ("%e", { _ in [.double(2.71828)] }, "2.718280e+00"),
            ("%e", { _ in [.uint(3)] }, "3.000000e+00"),
            ("%e", { _ in [.double(.nan)] }, "NaN"),
            ("%d", { _ in [.double(.nan)] }, "NaN"),
            ("%d", { _ in [.double(.infinity)] }, "Infinity"),
            ("%f", { _ in [.double(-.infinity)] }, "-Infinity"),
            ("%d", { _ in [.uint(64)] }, "64"),
            ("%s", { _ in [.null] }, "null"),
            ("%s", { _ in [.int(999999999999)] }, "999999999999"),
            ("%s", { [try! $0.heap.makeBytes(Array("xyz".utf8))] }, "xyz"),
            ("%s", { _ in [.type(.string)] }, "string"),
            ("%s, %s", { _ in [.bool(true), .bool(false)] }, "true, false"),
            ("%.0f", { _ in [.double(3.4999)] }, "3"),
            ("%.0f", { _ in [.double(2.5)] }, "2"),
            ("%.0f", { _ in [.double(3.5)] }, "4"),
            ("%.3f", { _ in [.double(123.4999)] }, "123.500"),
            ("%.3f", { _ in [.double(-123.4994)] }, "-123.499"),
            ("%.5f", { _ in [.double(-1.2)] }, "-1.20000"),
            ("%.2f", { _ in [.double(0.125)] }, "0.12"),   // exactly representable tie: to even
            ("%.2f", { _ in [.double(0.375)] }, "0.38"),
            ("%.1f", { _ in [.double(0.05)] }, "0.1"),      // 0.05 is slightly above the tie
            ("%.0e", { _ in [.double(9.5)] }, "1e+01"),
            ("%e", { _ in [.double(0)] }, "0.000000e+00"),
            ("%e", { _ in [.double(1e-300)] }, "1.000000e-300"),
            ("%.3f", { _ in [.double(1e21)] }, "1000000000000000000000.000"),
            ("%s", { _ in [.double(1e21)] }, "1000000000000000000000"),
            ("%s", { _ in [.double(0.0001)] }, "0.0001"),
            ("%b", { _ in [.int(-5)] }, "-101"),
            ("%x", { _ in [.int(.min)] }, "-8000000000000000"),
            ("%f", { _ in [.double(5e-324)] }, "0.000000"),
            ("é%sé", { [$0.str("ü")] }, "éüé"),
        ]
        for (template, build, expected) in cases {
            let result = try format(template, build)
            #expect(result.text == expected, "\(template)")
        }
    }

    @Test func aggregates() throws {
        var h = Harness()
        let inner = h.list([.int(9), .int(8), .int(7), .int(6)])
        let list = h.list([h.str("abc"), .double(3.14), .null, inner])
        #expect((try h.method(h.str("%s"), "format", h.list([list]))).text == "[abc, 3.14, null, [9, 8, 7, 6]]")
        let specials = h.list([.double(.nan), .double(.infinity), .double(-.infinity)])
        #expect((try h.method(h.str("%s"), "format", h.list([specials]))).text == "[NaN, Infinity, -Infinity]")
        let keys = [h.str("strKey"), .int(6), .bool(true)]
        let map = try h.heap.makeMap(keys: keys, values: [h.str("x"), .int(422), .int(42)])
        #expect((try h.method(h.str("%s"), "format", h.list([map]))).text == "{6: 422, strKey: x, true: 42}")
    }

    @Test func errors() throws {
        let cases: [(String, (inout Harness) -> [Value], String)] = [
            ("%a", { _ in [.int(1)] }, "could not parse formatting clause: unrecognized formatting clause \"a\""),
            ("%d %d %d", { _ in [.int(0), .int(1)] }, "index 2 out of range"),
            ("string is %b", { [$0.str("abc")] }, "error during formatting: only ints, uints, and bools can be formatted as binary, was given string"),
            ("octal: %o", { [$0.str("a string")] }, "error during formatting: octal clause can only be used on ints and uints, was given string"),
            ("double is %x", { _ in [.double(0.5)] }, "error during formatting: only ints, uints, bytes, and strings can be formatted as hex, was given double"),
            ("double is %E", { _ in [.double(0.5)] }, "could not parse formatting clause: unrecognized formatting clause \"E\""),
            ("null: %d", { _ in [.null] }, "error during formatting: decimal clause can only be used on ints, uints, and doubles, was given null_type"),
            ("null: %e", { _ in [.null] }, "error during formatting: scientific clause can only be used on ints, uints, and doubles, was given null_type"),
            ("%", { _ in [.int(1)] }, "unexpected end of string"),
        ]
        for (template, build, expected) in cases {
            #expect(try format(template, build).error == expected, "\(template)")
        }
        #expect(try format("%.3", { _ in [.int(1)] }).error != nil)
        #expect(try format("%.f", { _ in [.int(1)] }).error != nil)
        #expect(try format("%.99999999999999999999f", { _ in [.double(1)] }).error != nil)
        #expect(try format("%.1000f", { _ in [.double(1)] }).text?.utf8.count == 1002)
        var h = Harness()
        #expect((try h.method(h.str("%s"), "format", .int(1))).error != nil)
    }
}
