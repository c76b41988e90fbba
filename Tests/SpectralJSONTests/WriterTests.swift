import Testing
import SpectralJSON

@Suite struct WriterTests {
    @Test func streamingAPIInsertsCommas() {
        var w = JSONWriter()
        w.beginObject()
        w.writeKey("a"); w.writeInt64(-42)
        w.writeKey("b"); w.beginArray()
        w.writeUInt64(UInt64.max); w.writeBool(true); w.writeNull(); w.writeDouble(0.1)
        w.beginObject(); w.endObject(); w.beginArray(); w.endArray()
        w.endArray()
        w.writeKey("c"); w.writeString("x")
        w.endObject()
        #expect(w.string == #"{"a":-42,"b":[18446744073709551615,true,null,0.1,{},[]],"c":"x"}"#)
    }

    @Test func integers() {
        for (v, text) in [(Int64(0), "0"), (7, "7"), (-7, "-7"), (10, "10"), (Int64.max, "9223372036854775807"), (Int64.min, "-9223372036854775808")] {
            var w = JSONWriter()
            w.writeInt64(v)
            #expect(w.string == text)
        }
        for v: UInt64 in [0, 9, 10, 99, 100, 10_000_000_000_000_000_000, UInt64.max] {
            var w = JSONWriter()
            w.writeUInt64(v)
            #expect(w.string == String(v))
        }
    }

    @Test func doublesAreShortestRoundTripAndValidJSON() throws {
        let cases: [(Double, String)] = [(1.0, "1.0"), (0.1, "0.1"), (1e300, "1e+300"), (1e-5, "1e-05"), (-0.0, "-0.0"),
                                         (Double.leastNonzeroMagnitude, "5e-324"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308")]
        for (d, text) in cases {
            var w = JSONWriter()
            w.writeDouble(d)
            #expect(w.string == text)
            let back = try JSONValue.parse(w.bytes)
            #expect(back.doubleValue == d)
        }
    }

    @Test func nonFiniteDoublesBecomeStrings() {
        var w = JSONWriter()
        w.beginArray()
        w.writeDouble(.nan); w.writeDouble(.infinity); w.writeDouble(-.infinity)
        w.endArray()
        #expect(w.string == #"["NaN","Infinity","-Infinity"]"#)
    }

    @Test func stringEscaping() throws {
        let s = "q\" b\\ / \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F} é 😀 \u{2028}"
        let v = JSONValue.string(s)
        #expect(v.serialized() == #""q\" b\\ / \u0000\u0001\b\t\n\f\r\u001f"# + "\u{7F} é 😀 \u{2028}\"")
        #expect(try JSONValue.parse(v.serializedBytes()) == v)
    }

    /// Text handed over as UTF-8 bytes (a decision id formatted on the stack) is escaped
    /// exactly as a String is, and separated like any other value.
    @Test func stringsFromUTF8BytesAreEscapedLikeStrings() {
        for text in ["019af3c2-5e10-7a4b-9c1d-3f6e8a2b7d40", "", "quote \" back \\ tab \t nul \u{0} é 🦊"] {
            var fromBytes = JSONWriter(), fromString = JSONWriter()
            fromBytes.beginArray(); fromString.beginArray()
            for _ in 0..<2 {
                Array(text.utf8).withUnsafeBufferPointer { fromBytes.writeString(utf8: $0) }
                fromString.writeString(text)
            }
            fromBytes.endArray(); fromString.endArray()
            #expect(fromBytes.bytes == fromString.bytes)
        }
    }

    @Test func valueSerialization() throws {
        let v: JSONValue = ["z": 1, "a": [true, false, nil, "s", 2.5, ["k": "v"]], "e": [:], "n": -3]
        #expect(v.serialized() == #"{"z":1,"a":[true,false,null,"s",2.5,{"k":"v"}],"e":{},"n":-3}"#)
        #expect(try JSONValue.parse(v.serialized()) == v)
    }

    @Test func numberTextIsPreservedThroughRoundTrip() throws {
        let doc = #"[1.50,1E+2,-0,18446744073709551616,1e400]"#
        #expect(try JSONValue.parse(doc).serialized() == doc)
    }
}
