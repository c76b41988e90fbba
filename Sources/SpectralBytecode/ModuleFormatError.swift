/// Why `ModuleDecoder.decode` rejected some bytes: what was wrong, and where.
///
/// `offset` is the index of the first byte of the offending item (a section id,
/// a number, a string...), so a hex dump points straight at the problem.
public struct ModuleFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of problem, for callers (and tests) that branch on it without
    /// parsing `message`.
    public enum Kind: Sendable, Equatable {
        case badMagic
        case unsupportedVersion
        /// The input ended before the item at `offset` was complete.
        case truncated
        /// A LEB128 number with padding bytes: not the canonical encoding.
        case overlongInteger
        /// A number that does not fit its type.
        case integerOverflow
        case unknownSection
        /// A section that comes after one that must follow it.
        case sectionOrder
        case duplicateSection
        case missingSection
        /// A section's content does not end exactly at its declared length.
        case sectionLength
        case invalidUTF8
        case unknownConstantKind
        /// A declared type whose tag is not a `DeclaredTypeTag`.
        case unknownTypeTag
        /// A declared type nested deeper than `DeclaredType.maxDepth`.
        case typeTooDeep
        case unknownOpcode
        /// An instruction operand wider than its `Instruction` field.
        case operandTooLarge
        /// A field with a value outside its domain (a bool byte other than 0/1,
        /// a register count above 65535, a span offset outside Int32...).
        case invalidValue
        /// A declared element count larger than the remaining bytes could hold.
        case countTooLarge
        case trailingBytes
    }

    public var offset: Int
    public var kind: Kind
    public var message: String

    public init(offset: Int, kind: Kind, message: String) {
        self.offset = offset
        self.kind = kind
        self.message = message
    }

    public var description: String { "invalid module at byte \(offset): \(message)" }
}
