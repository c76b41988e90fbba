import Testing
@testable import SpectralSyntax

@Suite struct LiteralTests {
    @Test func integers() {
        #expect(literal("0") == .int(0))
        #expect(literal("9223372036854775807") == .int(.max))
        #expect(literal("-9223372036854775808") == .int(.min))
        #expect(literal("0x1F") == .int(31))
        #expect(literal("0X1f") == .int(31))
        #expect(literal("-0x8000000000000000") == .int(.min))
        #expect(literal("0x1Fu") == .uint(31))
        #expect(literal("18446744073709551615u") == .uint(.max))
        #expect(literal("42U") == .uint(42))
        #expect(parseError("9223372036854775808")?.message == "integer literal out of range")
        #expect(parseError("-9223372036854775809")?.message == "integer literal out of range")
        #expect(parseError("18446744073709551616u")?.message == "unsigned integer literal out of range")
        #expect(parseError("99999999999999999999999")?.message == "integer literal out of range")
    }

    @Test func doubles() {
        #expect(literal("1.5") == .double(1.5))
        #expect(literal("1e3") == .double(1000))
        #expect(literal("1E-3") == .double(0.001))
        #expect(literal(".5") == .double(0.5))
        #expect(literal("2.5e+2") == .double(250))
        #expect(literal("-0.0") == .double(-0.0))
        #expect(parseError("1e400")?.message == "double literal out of range")
        #expect(parseError("1.") != nil) // `1.` is not a CEL double
    }

    @Test func simpleLiterals() {
        #expect(literal("true") == .bool(true))
        #expect(literal("false") == .bool(false))
        #expect(literal("null") == .null)
    }

    @Test func stringForms() {
        #expect(literal("'a'") == .string("a"))
        #expect(literal("\"a\"") == .string("a"))
        #expect(literal("'''a\n'b'\n'''") == .string("a\n'b'\n"))
        #expect(literal("\"\"\"x\"y\"\"\"") == .string("x\"y"))
        #expect(literal("'it\\'s'") == .string("it's"))
        #expect(literal("r'\\n\\q'") == .string("\\n\\q"))
        #expect(literal("R\"\\x\"") == .string("\\x"))
        #expect(literal("r'''a\\'''") == .string("a\\"))
        #expect(literal("'héllo 😬'") == .string("héllo 😬"))
    }

    @Test func everyEscape() {
        #expect(literal(#"'\\ \? \" \' \`'"#) == .string(#"\ ? " ' `"#))
        #expect(literal(#"'\a\b\f\n\r\t\v'"#) == .string("\u{07}\u{08}\u{0C}\n\r\t\u{0B}"))
        #expect(literal(#"'\000\101\177\377'"#) == .string("\u{0}A\u{7F}\u{FF}"))
        #expect(literal(#"'\x41\X4a\xff'"#) == .string("AJ\u{FF}"))
        #expect(literal(#"'\u0041\u00e9\U0001F62C'"#) == .string("Aé😬"))
    }

    @Test func bytes() {
        #expect(literal("b'abc'") == .bytes([97, 98, 99]))
        #expect(literal("B\"\\xff\\377\\000\"") == .bytes([0xFF, 0xFF, 0x00]))
        #expect(literal("b'é'") == .bytes([0xC3, 0xA9]))
        #expect(literal("b'''\n'''") == .bytes([0x0A]))
        #expect(literal("br'\\x'") == .bytes([0x5C, 0x78]))
        #expect(literal("Rb'\\n'") == .bytes([0x5C, 0x6E]))
        #expect(literal("bR\"\\n\"") == .bytes([0x5C, 0x6E]))
        #expect(parseError(#"b'\u0041'"#)?.message == "'\\u' escapes are not allowed in bytes literals")
    }

    @Test func escapeErrors() {
        #expect(parseError(#"'\q'"#)?.message == "invalid escape sequence '\\q'")
        #expect(parseError(#"'\x4'"#)?.message == "invalid escape sequence '\\x4'")
        #expect(parseError(#"'\400'"#)?.message == "invalid escape sequence '\\4'")
        #expect(parseError(#"'\08'"#)?.message == "invalid escape sequence '\\08'")
        #expect(parseError(#"'\uD800'"#)?.message == "invalid Unicode code point in escape sequence '\\uD800'")
        #expect(parseError(#"'\U00110000'"#)?.message == "invalid Unicode code point in escape sequence '\\U00110000'")
        #expect(parseError(#"'\u12'"#)?.message == "invalid escape sequence '\\u12'")
        #expect(parseError("'abc")?.message == "unterminated string literal")
        #expect(parseError("'''abc''")?.message == "unterminated string literal")
        #expect(parseError("'a\nb'")?.message.hasPrefix("unterminated string literal") == true)
        #expect(parseError("r'a\\'")?.message == nil) // raw: the backslash does not escape the quote
    }

    @Test func commentsAndWhitespace() {
        #expect(sexpr("1 + // one\n\t2\r\n\u{0C}// end") == "(_+_ 1 2)")
        #expect(sexpr("'//not a comment'") == "\"//not a comment\"")
    }
}
