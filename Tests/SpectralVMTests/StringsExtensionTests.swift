import Testing
@testable import SpectralVM

@Suite struct StringsExtensionTests {
    @Test func charAt() throws {
        var h = Harness()
        #expect((try h.method(h.str("tacocat"), "charAt", .int(3))).text == "o")
        #expect((try h.method(h.str("tacocat"), "charAt", .int(7))).text == "")
        for (i, c) in ["©", "α", "T"].enumerated() {
            #expect((try h.method(h.str("©αT"), "charAt", .int(Int64(i)))).text == c)
        }
        #expect((try h.method(h.str("tacocat"), "charAt", .int(30))).error == "index out of range: 30")
        #expect((try h.method(h.str("tacocat"), "charAt", .int(-1))).error != nil)
        #expect((try h.method(.int(42), "charAt", .int(2))).error != nil)
        #expect((try h.method(h.str("hello"), "charAt", .bool(true))).error != nil)
    }

    @Test func indexOf() throws {
        var h = Harness()
        let taco = h.str("tacocat"), uni = h.str("ta©o©αT"), hello = h.str("hello wello")
        #expect((try h.method(taco, "indexOf", h.str(""))).int == 0)
        #expect((try h.method(taco, "indexOf", h.str("a"), .int(3))).int == 5)
        #expect((try h.method(taco, "indexOf", h.str("at"), .int(3))).int == 5)
        #expect((try h.method(uni, "indexOf", h.str("©"))).int == 2)
        #expect((try h.method(uni, "indexOf", h.str("©"), .int(3))).int == 4)
        #expect((try h.method(uni, "indexOf", h.str("©αT"), .int(3))).int == 4)
        #expect((try h.method(uni, "indexOf", h.str("©α"), .int(5))).int == -1)
        #expect((try h.method(hello, "indexOf", h.str("hello wello"))).int == 0)
        #expect((try h.method(hello, "indexOf", h.str("ello"), .int(6))).int == 7)
        #expect((try h.method(hello, "indexOf", h.str("elbo room!!"))).int == -1)
        #expect((try h.method(h.str(""), "indexOf", h.str("a"))).int == -1)
        #expect((try h.method(h.str("aaab"), "indexOf", h.str("aab"))).int == 1)
        #expect((try h.method(taco, "indexOf", h.str("a"), .int(30))).error == "index out of range: 30")
        #expect((try h.method(.int(24), "indexOf", h.str("2"))).error != nil)
        #expect((try h.method(h.str("42"), "indexOf", .int(4), .int(0))).error != nil)
        #expect((try h.method(h.str("42"), "indexOf", h.str("4"), h.str("0"))).error != nil)
        #expect((try h.method(h.str("42"), "indexOf", h.str("4"), .int(0), .int(1))).error != nil)
    }

    @Test func lastIndexOf() throws {
        var h = Harness()
        let taco = h.str("tacocat"), hello = h.str("hello wello")
        #expect((try h.method(h.str(""), "lastIndexOf", h.str("@@"))).int == -1)
        #expect((try h.method(taco, "lastIndexOf", h.str(""))).int == 7)
        #expect((try h.method(taco, "lastIndexOf", h.str("at"))).int == 5)
        #expect((try h.method(taco, "lastIndexOf", h.str("none"))).int == -1)
        #expect((try h.method(taco, "lastIndexOf", h.str("a"), .int(3))).int == 1)
        #expect((try h.method(h.str("ta©o©αT"), "lastIndexOf", h.str("©"))).int == 4)
        #expect((try h.method(hello, "lastIndexOf", h.str("low"))).int == -1)
        #expect((try h.method(hello, "lastIndexOf", h.str("hello wello"))).int == 0)
        #expect((try h.method(h.str("aaaa"), "lastIndexOf", h.str("aa"))).int == 2)
        #expect((try h.method(taco, "lastIndexOf", h.str("a"), .int(-1))).error == "index out of range: -1")
        #expect((try h.method(taco, "lastIndexOf", h.str("a"), .int(30))).error == "index out of range: 30")
    }

    @Test func asciiCasing() throws {
        var h = Harness()
        #expect((try h.method(h.str("TacoCat"), "lowerAscii")).text == "tacocat")
        #expect((try h.method(h.str("TacoCÆt Xii"), "lowerAscii")).text == "tacocÆt xii")
        #expect((try h.method(h.str("tacoCαt"), "upperAscii")).text == "TACOCαT")
        #expect((try h.method(h.str("TacoCÆt Xii"), "upperAscii")).text == "TACOCÆT XII")
    }

    @Test func replace() throws {
        var h = Harness()
        let s = h.str("{0} days {0} hours")
        #expect((try h.method(s, "replace", h.str("{0}"), h.str("2"))).text == "2 days 2 hours")
        let once = try h.method(s, "replace", h.str("{0}"), h.str("2"), .int(1)).value
        #expect((try h.method(once, "replace", h.str("{0}"), h.str("23"))).text == "2 days 23 hours")
        #expect((try h.method(h.str("1 ©αT taco"), "replace", h.str("αT"), h.str("o©α"))).text == "1 ©o©α taco")
        #expect((try h.method(h.str("hello hello"), "replace", h.str("he"), h.str("we"), .int(0))).text == "hello hello")
        #expect((try h.method(h.str("hello hello"), "replace", h.str("he"), h.str("we"), .int(-1))).text == "wello wello")
        // An empty pattern matches around every code point (Go's strings.Replace).
        #expect((try h.method(h.str("aα"), "replace", h.str(""), h.str("-"))).text == "-a-α-")
        #expect((try h.method(h.str("aα"), "replace", h.str(""), h.str("-"), .int(2))).text == "-a-α")
        #expect((try h.method(h.str("42"), "replace", h.str("2"), .int(1))).error != nil)
        #expect((try h.method(h.str("42"), "replace", h.str("2"), h.str("1"), h.str("1"))).error != nil)
    }

    @Test func split() throws {
        var h = Harness()
        #expect((try h.method(h.str("hello world"), "split", h.str(" "))).texts == ["hello", "world"])
        #expect((try h.method(h.str("hello world events!"), "split", h.str(" "), .int(1))).texts == ["hello world events!"])
        #expect((try h.method(h.str("hello world events!"), "split", h.str(" "), .int(2))).texts == ["hello", "world events!"])
        #expect((try h.method(h.str("hello world"), "split", h.str(" "), .int(0))).texts == [])
        #expect((try h.method(h.str("o©o©o©o"), "split", h.str("©"), .int(-1))).texts == ["o", "o", "o", "o"])
        #expect((try h.method(h.str("a©b"), "split", h.str(""))).texts == ["a", "©", "b"])
        #expect((try h.method(h.str("a©b"), "split", h.str(""), .int(2))).texts == ["a", "©b"])
        #expect((try h.method(h.str(""), "split", h.str(","))).texts == [""])
        #expect((try h.method(h.str("42"), "split", .int(2))).error != nil)
        #expect((try h.method(.int(42), "split", h.str("2"), h.str("1"))).error != nil)
    }

    @Test func substring() throws {
        var h = Harness()
        let taco = h.str("tacocat"), uni = h.str("ta©o©αT")
        #expect((try h.method(taco, "substring", .int(4))).text == "cat")
        #expect((try h.method(taco, "substring", .int(7))).text == "")
        #expect((try h.method(taco, "substring", .int(0), .int(4))).text == "taco")
        #expect((try h.method(taco, "substring", .int(4), .int(4))).text == "")
        #expect((try h.method(uni, "substring", .int(2), .int(6))).text == "©o©α")
        #expect((try h.method(uni, "substring", .int(7), .int(7))).text == "")
        #expect((try h.method(taco, "substring", .int(1), .int(50))).error == "index out of range: 50")
        #expect((try h.method(taco, "substring", .int(49), .int(50))).error == "index out of range: 49")
        #expect((try h.method(taco, "substring", .int(4), .int(3))).error == "invalid substring range. start: 4, end: 3")
        #expect((try h.method(taco, "substring", .int(-1))).error != nil)
        #expect((try h.method(taco, "substring", .int(.min), .int(.max))).error != nil)
        #expect((try h.method(taco, "substring", .bool(true), .int(3))).error != nil)
    }

    @Test func trim() throws {
        var h = Harness()
        #expect((try h.method(h.str(" \ttrim\n    "), "trim")).text == "trim")
        let spaces2 = "text\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2004}\u{2006}\u{2007}\u{2008}\u{2009}"
        #expect((try h.method(h.str(spaces2), "trim")).text == "text")
        #expect((try h.method(h.str("\u{200a}text\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}"), "trim")).text == "text")
        #expect((try h.method(h.str("\u{85}\u{A0}\u{1680}x"), "trim")).text == "x")
        // Zero-width spaces are not white space.
        #expect((try h.method(h.str("\u{200B}x\u{FEFF}"), "trim")).text == "\u{200B}x\u{FEFF}")
        #expect((try h.method(h.str(" \n "), "trim")).text == "")
    }

    @Test func join() throws {
        var h = Harness()
        let xy = h.strings(["x", "y"])
        #expect((try h.method(xy, "join")).text == "xy")
        #expect((try h.method(xy, "join", h.str("-"))).text == "x-y")
        #expect((try h.method(h.list([]), "join")).text == "")
        #expect((try h.method(h.list([]), "join", h.str("-"))).text == "")
        #expect((try h.method(h.list([.int(1)]), "join")).error != nil)
    }

    @Test func reverse() throws {
        var h = Harness()
        #expect((try h.method(h.str(""), "reverse")).text == "")
        #expect((try h.method(h.str("☺"), "reverse")).text == "☺")
        #expect((try h.method(h.str("Ta©oCαt"), "reverse")).text == "tαCo©aT")
    }

    @Test func quote() throws {
        var h = Harness()
        let cases: [(String, String)] = [
            ("first\nsecond", "\"first\\nsecond\""),
            ("\u{08}backspace", "\"\\bbackspace\""),
            ("\u{0C}form feed", "\"\\fform feed\""),
            ("carriage \r return", "\"carriage \\r return\""),
            ("vertical \u{0B} tab", "\"vertical \\v tab\""),
            ("double \\\\ slash", "\"double \\\\\\\\ slash\""),
            ("two escape sequences \\a\\n", "\"two escape sequences \\\\a\\\\n\""),
            ("verbatim", "\"verbatim\""),
            ("ends with \\", "\"ends with \\\\\""),
            ("printable unicode😀", "\"printable unicode😀\""),
            ("mid string \" quote", "\"mid string \\\" quote\""),
            ("size('ÿ')", "\"size('ÿ')\""),
            ("завтра", "\"завтра\""),
            ("\u{1F431}\u{1F600}\u{1F61B}", "\"\u{1F431}\u{1F600}\u{1F61B}\""),
            ("\u{07}", "\"\\a\""),
        ]
        for (input, expected) in cases {
            #expect((try h.call("strings.quote", [h.str(input)])).text == expected)
        }
    }
}
