/// Reads the binary format `ModuleEncoder` writes (the layout is documented there).
///
/// The decoder is strict: it accepts exactly the encodings the encoder produces, so
/// `encode(decode(b)) == b` for every accepted `b` of the current format version. It
/// also reads version 1, which has no declarations section: its variables decode as
/// `dyn` (how they bound), so it re-encodes as the version-2 equivalent, and
/// `decode(encode(m)) == m` still holds for every decoded `m`. It is also defensive:
/// the input may be hostile, so every count is checked against the bytes that remain
/// before anything is reserved, every narrowing conversion is exact, recursion is
/// bounded, and nothing can trap.
///
/// Decoding checks the format only. Whether the module is safe to run (indices in
/// range, registers assigned before use, ...) is `Verifier.verify`'s job.
public enum ModuleDecoder {
    public static func decode(_ bytes: [UInt8]) throws(ModuleFormatError) -> Module {
        var r = ByteReader(bytes)
        let version = try header(&r)
        let sections = ModuleSection.required(by: version)

        var module = Module()
        var next = sections.makeIterator()
        var expected = next.next()
        var previous: ModuleSection?
        while !r.atEnd {
            let sectionStart = r.offset
            let id = try r.byte("section id")
            // A section of a later version is as unknown as any other id.
            guard let section = ModuleSection(rawValue: id), section.since <= version else {
                if previous == sections.last {
                    throw ModuleFormatError(offset: sectionStart, kind: .trailingBytes,
                                            message: "\(bytes.count - sectionStart) bytes after the last section")
                }
                throw ModuleFormatError(offset: sectionStart, kind: .unknownSection,
                                        message: "unknown section id \(id) in format version \(version)")
            }
            // Every section is required, in id order. A section whose id is lower than
            // the one expected has been seen already; a higher one means the expected
            // one is missing here (out of order or absent altogether).
            if expected == nil || section.rawValue < (expected?.rawValue ?? 0) {
                if section == previous {
                    throw ModuleFormatError(offset: sectionStart, kind: .duplicateSection,
                                            message: "duplicate \(section.label) section")
                }
                throw ModuleFormatError(offset: sectionStart, kind: .sectionOrder,
                                        message: "\(section.label) section after the \(previous?.label ?? "header") section")
            }
            if let want = expected, section.rawValue > want.rawValue {
                throw ModuleFormatError(offset: sectionStart, kind: .missingSection,
                                        message: "missing \(want.label) section (found the \(section.label) section in its place)")
            }

            let lengthStart = r.offset
            let length = try r.length("\(section.label) section length")
            guard length <= r.remaining else {
                throw ModuleFormatError(offset: lengthStart, kind: .truncated,
                                        message: "\(section.label) section declares \(length) bytes, only \(r.remaining) remain")
            }
            let end = r.offset + length
            r.limit = end
            try decodeSection(section, &r, version: version, into: &module)
            guard r.offset == end else {
                throw ModuleFormatError(offset: r.offset, kind: .sectionLength,
                                        message: "\(end - r.offset) unused bytes at the end of the \(section.label) section")
            }
            r.limit = bytes.count

            previous = section
            expected = next.next()
        }
        if let missing = expected {
            throw ModuleFormatError(offset: bytes.count, kind: .missingSection,
                                    message: "missing \(missing.label) section")
        }
        if !sections.contains(.declarations) {
            module.declarations = Array(repeating: .dyn, count: module.variables.count)
        }
        return module
    }

    /// The format version in the header of `bytes`, or nil when they do not start with
    /// a module header. Nothing else is checked: for telling stored version-1 modules
    /// (to upgrade with `Module.declaring(_:)`) from current ones without decoding.
    public static func formatVersion(of bytes: [UInt8]) -> UInt16? {
        let m = Module.magic.count
        guard bytes.count >= m + 2, bytes.starts(with: Module.magic) else { return nil }
        return UInt16(bytes[m]) | UInt16(bytes[m + 1]) << 8
    }

    private static func header(_ r: inout ByteReader) throws(ModuleFormatError) -> UInt16 {
        for (i, m) in Module.magic.enumerated() {
            guard i < r.bytes.count else {
                throw ModuleFormatError(offset: i, kind: .truncated, message: "input ends inside the magic number")
            }
            guard r.bytes[i] == m else {
                throw ModuleFormatError(offset: 0, kind: .badMagic,
                                        message: "not a Spectral bytecode module (bad magic)")
            }
        }
        _ = try r.take(Module.magic.count, "magic number")
        let low = try r.byte("format version")
        let high = try r.byte("format version")
        let version = UInt16(low) | UInt16(high) << 8
        let readable = Module.readableVersions
        guard readable.contains(version) else {
            throw ModuleFormatError(offset: Module.magic.count, kind: .unsupportedVersion,
                                    message: "unsupported format version \(version) (this build reads \(readable.lowerBound) to \(readable.upperBound))")
        }
        return version
    }

    private static func decodeSection(_ section: ModuleSection, _ r: inout ByteReader, version: UInt16,
                                      into module: inout Module) throws(ModuleFormatError) {
        switch section {
        case .constants:
            let n = try r.count("constant count", minimumSize: 1)
            module.constants.reserveCapacity(n)
            for i in 0..<n { module.constants.append(try constant(&r, index: i)) }
        case .names:
            module.names = try strings(&r, "name")
        case .variables:
            module.variables = try strings(&r, "variable")
        case .functions:
            let n = try r.count("function count", minimumSize: 3)
            module.functions.reserveCapacity(n)
            for i in 0..<n {
                let name = try r.string("name of function \(i)")
                let arity = try r.byte("arity of function \(i)")
                let receiver = try flag(&r, "receiver flag of function \(i)")
                module.functions.append(FunctionRef(name: name, arity: arity, receiver: receiver))
            }
        case .code:
            let registersStart = r.offset
            let registers = try r.unsigned("register count")
            guard let registerCount = UInt16(exactly: registers) else {
                throw ModuleFormatError(offset: registersStart, kind: .invalidValue,
                                        message: "register count \(registers) exceeds 65535")
            }
            module.registerCount = registerCount
            let n = try r.count("instruction count", minimumSize: 1)
            module.code.reserveCapacity(n)
            for i in 0..<n { module.code.append(try instruction(&r, index: i)) }
        case .spans:
            let n = try r.count("span count", minimumSize: 2)
            module.spans.reserveCapacity(n)
            var previousStart: Int64 = 0
            for i in 0..<n {
                let startOffset = r.offset
                let startDelta = try r.signed("start of span \(i)")
                let lengthDelta = try r.signed("length of span \(i)")
                // Overflow-checked: hostile deltas must not trap.
                let (start, o1) = previousStart.addingReportingOverflow(startDelta)
                let (end, o2) = start.addingReportingOverflow(lengthDelta)
                guard !o1, !o2, let s = Int32(exactly: start), let e = Int32(exactly: end) else {
                    throw ModuleFormatError(offset: startOffset, kind: .invalidValue,
                                            message: "span \(i) lies outside the Int32 range")
                }
                module.spans.append(SourceRange(start: s, end: e))
                previousStart = start
            }
        case .costBound:
            module.costBound = try r.unsigned("cost bound")
        case .declarations:
            // As many as there are variables is the verifier's rule (like spans per
            // instruction), so that any module, verifiable or not, round-trips.
            let n = try r.count("declaration count", minimumSize: 1)
            module.declarations.reserveCapacity(n)
            for i in 0..<n { module.declarations.append(try declaredType(&r, variable: i, version: version)) }
        case .overloads:
            // One entry per function slot: the overloads belong to their function, so a
            // count that differs is a malformed encoding, not an unverifiable module.
            let countOffset = r.offset
            let n = try r.count("overload list count", minimumSize: 1)
            guard n == module.functions.count else {
                throw ModuleFormatError(offset: countOffset, kind: .invalidValue,
                                        message: "\(n) overload lists for \(module.functions.count) functions")
            }
            for i in 0..<n {
                let ids = try r.count("overload count of function \(i)", minimumSize: 1)
                var overloads: [String] = []
                overloads.reserveCapacity(ids)
                for k in 0..<ids { overloads.append(try r.string("overload \(k) of function \(i)")) }
                module.functions[i].overloads = overloads
            }
        }
    }

    private static func strings(_ r: inout ByteReader, _ what: String) throws(ModuleFormatError) -> [String] {
        let n = try r.count("\(what) count", minimumSize: 1)
        var result: [String] = []
        result.reserveCapacity(n)
        for i in 0..<n { result.append(try r.string("\(what) \(i)")) }
        return result
    }

    /// A 0/1 byte; other values are rejected so that each module has one encoding.
    private static func flag(_ r: inout ByteReader, _ what: String) throws(ModuleFormatError) -> Bool {
        let at = r.offset
        switch try r.byte(what) {
        case 0: return false
        case 1: return true
        case let b:
            throw ModuleFormatError(offset: at, kind: .invalidValue, message: "\(what) is \(b), expected 0 or 1")
        }
    }

    private static func constant(_ r: inout ByteReader, index i: Int) throws(ModuleFormatError) -> Constant {
        let tagOffset = r.offset
        let tagByte = try r.byte("kind of constant \(i)")
        guard let tag = ConstantTag(rawValue: tagByte) else {
            throw ModuleFormatError(offset: tagOffset, kind: .unknownConstantKind,
                                    message: "constant \(i) has unknown kind \(tagByte)")
        }
        switch tag {
        case .null:
            return .null
        case .bool:
            return .bool(try flag(&r, "bool constant \(i)"))
        case .int:
            return .int(try r.signed("int constant \(i)"))
        case .uint:
            return .uint(try r.unsigned("uint constant \(i)"))
        case .double:
            let raw = try r.take(8, "double constant \(i)")
            var bits: UInt64 = 0
            for (k, b) in raw.enumerated() { bits |= UInt64(b) << (8 * UInt64(k)) }
            return .double(Double(bitPattern: bits))
        case .string:
            return .string(try r.string("string constant \(i)"))
        case .bytes:
            let n = try r.length("length of bytes constant \(i)")
            return .bytes(Array(try r.take(n, "bytes constant \(i)")))
        case .type:
            return .type(try r.string("type constant \(i)"))
        case .timestamp:
            let (s, n) = try secondsAndNanos(&r, "timestamp constant \(i)")
            return .timestamp(seconds: s, nanos: n)
        case .duration:
            let (s, n) = try secondsAndNanos(&r, "duration constant \(i)")
            return .duration(seconds: s, nanos: n)
        case .list:
            return .list(try earlierIndices(&r, constant: i, what: "list"))
        case .map:
            let indices = try earlierIndices(&r, constant: i, what: "map")
            guard indices.count % 2 == 0 else {
                throw ModuleFormatError(offset: tagOffset, kind: .invalidValue,
                                        message: "map constant \(i) has an odd number of entries")
            }
            return .map(indices)
        }
    }

    /// Element indices of a composite constant: each must name an earlier entry, so the
    /// pool stays acyclic and can be built front to back.
    private static func earlierIndices(_ r: inout ByteReader, constant i: Int, what: String)
        throws(ModuleFormatError) -> [UInt32]
    {
        let n = try r.count("element count of \(what) constant \(i)", minimumSize: 1)
        var indices: [UInt32] = []
        indices.reserveCapacity(n)
        for _ in 0..<n {
            let offset = r.offset
            let index = try r.unsigned("element of \(what) constant \(i)")
            guard index < UInt64(i) else {
                throw ModuleFormatError(offset: offset, kind: .invalidValue,
                                        message: "\(what) constant \(i) refers to constant \(index), which is not earlier")
            }
            indices.append(UInt32(index))
        }
        return indices
    }

    private static func secondsAndNanos(_ r: inout ByteReader, _ what: String)
        throws(ModuleFormatError) -> (Int64, Int32)
    {
        let seconds = try r.signed("seconds of \(what)")
        let nanosOffset = r.offset
        let wide = try r.signed("nanos of \(what)")
        guard let nanos = Int32(exactly: wide) else {
            throw ModuleFormatError(offset: nanosOffset, kind: .integerOverflow,
                                    message: "nanos of \(what) (\(wide)) does not fit in Int32")
        }
        return (seconds, nanos)
    }

    private static func instruction(_ r: inout ByteReader, index i: Int) throws(ModuleFormatError) -> Instruction {
        let opcodeOffset = r.offset
        let raw = try r.byte("opcode of instruction \(i)")
        guard let opcode = Opcode(rawValue: raw) else {
            throw ModuleFormatError(offset: opcodeOffset, kind: .unknownOpcode,
                                    message: "instruction \(i) has unknown opcode \(raw)")
        }
        let kinds = opcode.operands
        var a: UInt16 = 0, b: UInt32 = 0, c: UInt32 = 0
        if kinds.a != .unused {
            let at = r.offset
            let v = try r.unsigned("operand a of instruction \(i)")
            guard let narrow = UInt16(exactly: v) else {
                throw tooLarge("a", v, limit: UInt64(UInt16.max), instruction: i, opcode, at: at)
            }
            a = narrow
        }
        if kinds.b != .unused { b = try wide(&r, "b", instruction: i, opcode) }
        if kinds.c != .unused { c = try wide(&r, "c", instruction: i, opcode) }
        // b and c are within maxWideOperand here, so the initializer's precondition holds.
        return Instruction(opcode, a: a, b: b, c: c)
    }

    private static func wide(_ r: inout ByteReader, _ field: String, instruction i: Int,
                             _ opcode: Opcode) throws(ModuleFormatError) -> UInt32 {
        let at = r.offset
        let v = try r.unsigned("operand \(field) of instruction \(i)")
        guard v <= UInt64(Instruction.maxWideOperand), let narrow = UInt32(exactly: v) else {
            throw tooLarge(field, v, limit: UInt64(Instruction.maxWideOperand), instruction: i, opcode, at: at)
        }
        return narrow
    }

    private static func tooLarge(_ field: String, _ value: UInt64, limit: UInt64, instruction i: Int,
                                 _ opcode: Opcode, at offset: Int) -> ModuleFormatError {
        ModuleFormatError(offset: offset, kind: .operandTooLarge,
                          message: "operand \(field) of instruction \(i) (\(opcode.mnemonic)) is \(value), the maximum is \(limit)")
    }
}
