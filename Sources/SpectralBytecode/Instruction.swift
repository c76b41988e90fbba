/// One instruction: an opcode and three operands whose meaning `Opcode.operands` gives.
///
/// This is the model the compiler, the disassembler and the tests use. The interpreter
/// runs the packed form (`packed`), one `UInt64` per instruction:
/// opcode in bits 0-7, `a` in 8-23, `b` in 24-43, `c` in 44-63.
public struct Instruction: Hashable, Sendable {
    public var opcode: Opcode
    public var a: UInt16
    public var b: UInt32
    public var c: UInt32

    /// Largest value of the 20-bit operands `b` and `c`.
    public static let maxWideOperand: UInt32 = (1 << 20) - 1

    public init(_ opcode: Opcode, a: UInt16 = 0, b: UInt32 = 0, c: UInt32 = 0) {
        precondition(b <= Self.maxWideOperand && c <= Self.maxWideOperand, "operand out of range")
        self.opcode = opcode
        self.a = a
        self.b = b
        self.c = c
    }

    public var packed: UInt64 {
        UInt64(opcode.rawValue) | UInt64(a) << 8 | UInt64(b) << 24 | UInt64(c) << 44
    }

    /// Unpacks a word; nil when the opcode byte is not an opcode.
    public init?(packed word: UInt64) {
        guard let opcode = Opcode(rawValue: UInt8(truncatingIfNeeded: word)) else { return nil }
        self.opcode = opcode
        self.a = UInt16(truncatingIfNeeded: word >> 8)
        self.b = UInt32(truncatingIfNeeded: word >> 24) & Self.maxWideOperand
        self.c = UInt32(truncatingIfNeeded: word >> 44) & Self.maxWideOperand
    }
}
