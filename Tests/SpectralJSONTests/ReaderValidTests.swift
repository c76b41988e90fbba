import Testing
import SpectralJSON

@Suite struct ReaderValidTests {
    @Test func scalarsAtTopLevel() throws {
        #expect(try tokens("null") == [.null, .end])
        #expect(try tokens(" true ") == [.bool(true), .end])
        #expect(try tokens("\t\r\nfalse\n") == [.bool(false), .end])
        #expect(try tokens("\"hi\"") == [.string("hi"), .end])
        #expect(try tokens("-12.5e3") == [num("-12.5e3"), .end])
        #expect(try tokens("0") == [num("0"), .end])
    }

    @Test func nestedStructure() throws {
        let doc = #"{"a": [1, {"b": null}, []], "c": {}, "d": "x"}"#
        #expect(try tokens(doc) == [
            .beginObject,
            .key("a"), .beginArray, num("1"), .beginObject, .key("b"), .null, .endObject, .beginArray, .endArray, .endArray,
            .key("c"), .beginObject, .endObject,
            .key("d"), .string("x"),
            .endObject, .end,
        ])
    }

    @Test func endIsRepeatedAfterDocument() throws {
        var reader = JSONReader(bytes: Array("[]".utf8))
        #expect(try reader.next() == .beginArray)
        #expect(try reader.next() == .endArray)
        #expect(try reader.next() == .end)
        #expect(try reader.next() == .end)
    }

    @Test func duplicateKeysAreReportedAsIs() throws {
        #expect(try tokens(#"{"a":1,"a":2}"#) == [.beginObject, .key("a"), num("1"), .key("a"), num("2"), .endObject, .end])
        let v = try JSONValue.parse(#"{"a":1,"a":2}"#)
        #expect(v.objectValue?.count == 2)
        #expect(v["a"]?.int64Value == 2)  // last wins on lookup
    }

    @Test func escapes() throws {
        #expect(try tokens(#""\" \\ \/ \b \f \n \r \t""#) == [.string("\" \\ / \u{8} \u{C} \n \r \t"), .end])
        #expect(try tokens(#""\u0041\u00e9\u20AC\u0000""#) == [.string("Aé€\u{0}"), .end])
        #expect(try tokens(#""pre\nmid\tpost""#) == [.string("pre\nmid\tpost"), .end])
    }

    @Test func surrogatePairsCombine() throws {
        #expect(try tokens(#""\uD83D\uDE00""#) == [.string("😀"), .end])
        #expect(try tokens(#""a\ud834\udd1eb""#) == [.string("a𝄞b"), .end])
        #expect(try tokens(#""\uDBFF\uDFFF""#) == [.string("\u{10FFFF}"), .end])
    }

    @Test func rawUnicodeIsKept() throws {
        let s = "héllo wörld ✓ 日本語 😀 \u{10FFFF}"
        #expect(try tokens("\"\(s)\"") == [.string(s), .end])
        #expect(try tokens("{\"ключ\":\"значение\"}") == [.beginObject, .key("ключ"), .string("значение"), .endObject, .end])
        // Escapes mixed with raw multi-byte text take the slow path.
        #expect(try tokens("\"日\\n本\"") == [.string("日\n本"), .end])
    }

    @Test func depthLimitAllowsExactlyMaxDepth() throws {
        let limits = JSONLimits(maxDepth: 3)
        #expect(readError("[[[]]]", limits: limits) == nil)
        #expect(readError("[[[[]]]]", limits: limits)?.description == "nesting deeper than 3 at byte 3")
        #expect(readError(#"{"a":{"b":{"c":{}}}}"#, limits: limits)?.message == "nesting deeper than 3")
    }

    @Test func valueParseBuildsTree() throws {
        let v = try JSONValue.parse(#" {"n": [1, 2.5, -3], "s": "x", "t": true, "z": null, "o": {"k": []}} "#)
        let expected: JSONValue = ["n": [1, 2.5, -3], "s": "x", "t": true, "z": nil, "o": ["k": []]]
        #expect(v == expected)
        #expect(v["n"]?[1]?.doubleValue == 2.5)
        #expect(v["n"]?[7] == nil)
        #expect(v["s"]?.stringValue == "x")
        #expect(v["t"]?.boolValue == true)
        #expect(v["z"]?.isNull == true)
        #expect(v["o"]?["k"]?.arrayValue == [])
        #expect(v["missing"] == nil)
        #expect(v[0] == nil)
    }

    @Test func objectEqualityIsOrderSensitive() throws {
        #expect(try JSONValue.parse(#"{"a":1,"b":2}"#) != JSONValue.parse(#"{"b":2,"a":1}"#))
        #expect(try JSONValue.parse(#"{"a":1,"b":2}"#) == JSONValue.parse(#"{ "a" : 1 , "b" : 2 }"#))
    }
}

/// The string scanner skips 8 plain ASCII bytes at a time; check that every
/// kind of special byte is found at every position relative to those words.
@Suite struct StringScanWordBoundaryTests {
    @Test func specialBytesAtEveryOffset() throws {
        for p in 0..<20 {
            let pad = String(repeating: "a", count: p)
            let tail = String(repeating: "b", count: 19 - p)
            #expect(try tokens("\"\(pad)\"") == [.string(pad), .end])
            #expect(try tokens("\"\(pad)\\n\(tail)\"") == [.string(pad + "\n" + tail), .end])
            #expect(try tokens("\"\(pad)é\(tail)\"") == [.string(pad + "é" + tail), .end])
            #expect(try tokens("\"\(pad)\u{7F}\(tail)\"") == [.string(pad + "\u{7F}" + tail), .end])
            #expect(readError("\"\(pad)\u{1F}\(tail)\"")?.description == "unescaped control character 0x1F in string at byte \(p + 1)")
            #expect(readError("\"\(pad)\u{0}\(tail)\"")?.description == "unescaped control character 0x00 in string at byte \(p + 1)")
            #expect(readError(Array("\"\(pad)".utf8) + [0xFF] + Array("\(tail)\"".utf8))?.description
                    == "invalid UTF-8: byte 0xFF never appears in UTF-8 at byte \(p + 1)")
            #expect(readError("\"\(pad)\(tail)")?.description == "unterminated string starting at byte 0 at byte 20")
        }
    }
}

@Suite struct ReaderPositionTests {
    @Test func offsetAndDepthTrackTheCursor() throws {
        var reader = JSONReader(bytes: Array(#" [ {"k": 1} ] "#.utf8))
        #expect(reader.depth == 0 && reader.offset == 0)
        #expect(try reader.next() == .beginArray)
        #expect(reader.depth == 1 && reader.offset == 2)
        #expect(try reader.next() == .beginObject)
        #expect(try reader.next() == .key("k"))
        #expect(reader.depth == 2 && reader.offset == 8)
        #expect(try reader.next() == num("1"))
        #expect(try reader.next() == .endObject)
        #expect(try reader.next() == .endArray)
        #expect(reader.depth == 0)
        #expect(try reader.next() == .end)
        #expect(reader.offset == 14)
    }
}
