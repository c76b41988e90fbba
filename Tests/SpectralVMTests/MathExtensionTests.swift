import Testing
@testable import SpectralVM

@Suite struct MathExtensionTests {
    @Test func greatestAndLeast() throws {
        var h = Harness()
        #expect(try h.call("math.greatest", [.int(-5)]).int == -5)
        #expect(try h.call("math.greatest", [.uint(5)]).uint == 5)
        #expect(try h.call("math.greatest", [.int(-7), .int(5)]).int == 5)
        #expect(try h.call("math.greatest", [.int(.min), .int(1)]).int == 1)
        #expect(try h.call("math.greatest", [.uint(5), .int(-7)]).uint == 5)
        #expect(try h.call("math.greatest", [.int(-3), .uint(3)]).uint == 3)
        #expect(try h.call("math.greatest", [.int(1), .double(1.797693e308)]).double == 1.797693e308)
        #expect(try h.call("math.greatest", [.double(5.4), .int(10), .uint(3), .double(-5.0), .int(.max)]).int == .max)
        #expect(try h.call("math.greatest", [.double(5.4), .int(10), .uint(3), .double(-5.0), .uint(.max)]).uint == .max)
        let mixed = h.list([.double(5.4), .int(10), .uint(3), .double(-5.0), .double(3.5)])
        #expect(try h.call("math.greatest", [mixed]).int == 10)
        #expect(try h.call("math.least", [mixed]).double == -5.0)
        #expect(try h.call("math.least", [.int(.min), .int(-1), .int(-5)]).int == .min)
        #expect(try h.call("math.least", [.uint(.max), .uint(1)]).uint == 1)
        #expect(try h.call("math.least", [.double(1.5), .double(-1.797693e308)]).double == -1.797693e308)
        // Ties keep the first argument.
        #expect(try h.call("math.greatest", [.int(1), .double(1.0)]).int == 1)
        #expect(try h.call("math.least", [.uint(1), .int(1), .int(1)]).uint == 1)
        #expect(try h.call("math.greatest", [h.list([])]).error != nil)
        #expect(try h.call("math.greatest", [h.str("a"), .int(1)]).error != nil)
        #expect(try h.call("math.greatest", [.double(.nan), .int(1)]).error != nil)
        #expect(try h.call("math.least", [h.list([.double(.nan)])]).error != nil)
        let many = (0..<32).map { Value.int(Int64($0)) }
        #expect(try h.call("math.greatest", many).int == 31)
    }

    @Test func rounding() throws {
        var h = Harness()
        #expect(try h.call("math.ceil", [.double(-1.2)]).double == -1.0)
        #expect(try h.call("math.floor", [.double(-1.2)]).double == -2.0)
        #expect(try h.call("math.floor", [.double(1.2)]).double == 1.0)
        #expect(try h.call("math.round", [.double(-1.6)]).double == -2.0)
        #expect(try h.call("math.round", [.double(-1.4)]).double == -1.0)
        #expect(try h.call("math.round", [.double(-1.5)]).double == -2.0)
        #expect(try h.call("math.round", [.double(1.5)]).double == 2.0)
        #expect(try h.call("math.round", [.double(.nan)]).double?.isNaN == true)
        #expect(try h.call("math.trunc", [.double(-1.2)]).double == -1.0)
        #expect(try h.call("math.trunc", [.double(.nan)]).double?.isNaN == true)
        for name in ["math.ceil", "math.floor", "math.round", "math.trunc"] {
            #expect(try h.call(name, [.int(1)]).error != nil)
        }
        #expect(try h.call("math.isNaN", [.double(.nan)]).bool == true)
        #expect(try h.call("math.isNaN", [.double(.infinity)]).bool == false)
        #expect(try h.call("math.isInf", [.double(.infinity)]).bool == true)
        #expect(try h.call("math.isInf", [.double(.nan)]).bool == false)
        #expect(try h.call("math.isFinite", [.double(1.0 / 1.5)]).bool == true)
        #expect(try h.call("math.isFinite", [.double(.nan)]).bool == false)
        #expect(try h.call("math.isNaN", [.bool(true)]).error != nil)
        #expect(try h.call("math.sqrt", [.int(4)]).double == 2)
        #expect(try h.call("math.sqrt", [.uint(9)]).double == 3)
        #expect(try h.call("math.sqrt", [.double(-1)]).double?.isNaN == true)
    }

    @Test func absAndSign() throws {
        var h = Harness()
        #expect(try h.call("math.abs", [.uint(1)]).uint == 1)
        #expect(try h.call("math.abs", [.int(-1)]).int == 1)
        #expect(try h.call("math.abs", [.double(-11.5)]).double == 11.5)
        #expect(try h.call("math.abs", [.int(.min)]).error != nil)
        #expect(try h.call("math.sign", [.uint(100)]).uint == 1)
        #expect(try h.call("math.sign", [.uint(0)]).uint == 0)
        #expect(try h.call("math.sign", [.int(-11)]).int == -1)
        #expect(try h.call("math.sign", [.int(0)]).int == 0)
        #expect(try h.call("math.sign", [.double(100.5)]).double == 1)
        #expect(try h.call("math.sign", [.double(-32)]).double == -1)
        #expect(try h.call("math.sign", [.double(0)]).double == 0)
        #expect(try h.call("math.sign", [.bool(true)]).error != nil)
    }

    @Test func bitwise() throws {
        var h = Harness()
        #expect(try h.call("math.bitAnd", [.int(1), .int(2)]).int == 0)
        #expect(try h.call("math.bitAnd", [.int(1), .int(3)]).int == 1)
        #expect(try h.call("math.bitAnd", [.uint(2), h.str("")]).error != nil)
        #expect(try h.call("math.bitOr", [.int(4), .int(-2)]).int == -2)
        #expect(try h.call("math.bitOr", [.uint(1), .uint(4)]).uint == 5)
        #expect(try h.call("math.bitOr", [.double(1.2), .int(1)]).error != nil)
        #expect(try h.call("math.bitXor", [.int(4), .int(-2)]).int == -6)
        #expect(try h.call("math.bitXor", [.uint(1), .uint(3)]).uint == 2)
        #expect(try h.call("math.bitXor", [.int(1), .uint(3)]).error != nil)
        #expect(try h.call("math.bitNot", [.int(1)]).int == -2)
        #expect(try h.call("math.bitNot", [.int(-1)]).int == 0)
        #expect(try h.call("math.bitNot", [.uint(0)]).uint == .max)
        #expect(try h.call("math.bitShiftLeft", [.int(-1), .int(200)]).int == 0)
        #expect(try h.call("math.bitShiftLeft", [.int(1), .int(63)]).int == .min)
        #expect(try h.call("math.bitShiftLeft", [.uint(1), .int(-1)]).error != nil)
        #expect(try h.call("math.bitShiftLeft", [.double(4.3), .int(1)]).error != nil)
        #expect(try h.call("math.bitShiftRight", [.int(1024), .int(2)]).int == 256)
        #expect(try h.call("math.bitShiftRight", [.int(1024), .int(64)]).int == 0)
        #expect(try h.call("math.bitShiftRight", [.int(-1024), .int(3)]).int == 2305843009213693824)
        #expect(try h.call("math.bitShiftRight", [.int(-1024), .int(64)]).int == 0)
        #expect(try h.call("math.bitShiftRight", [.uint(1024), .int(200)]).uint == 0)
        #expect(try h.call("math.bitShiftRight", [.int(1), .int(.min)]).error != nil)
    }
}
