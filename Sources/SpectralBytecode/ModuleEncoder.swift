/// Writes a `Module` in the binary format:
///
///     magic "SPBC" | version: UInt16 LE | section*
///     section     = id: UInt8 | length: ULEB128 | payload
///
/// Sections, all present, in this order (see `ModuleSection`):
///
///     1 constants  count, then per entry a tag byte (`ConstantTag`) and its data:
///                  bool 1 byte (0/1); int SLEB128; uint ULEB128; double 8 bytes LE
///                  (the bit pattern, so -0.0 and NaN payloads survive); string/type
///                  a string; bytes ULEB128 length + raw; timestamp/duration seconds
///                  SLEB128 + nanos SLEB128
///     2 names      count, strings
///     3 variables  count, strings
///     4 functions  count, then name string, arity byte, receiver byte (0/1)
///     5 code       registerCount ULEB128, instruction count, then per instruction
///                  the opcode byte and, as ULEB128, only the operands the opcode uses
///                  (`Opcode.operands`; unused ones are zero by the verifier's rules)
///     6 spans      count, then per span SLEB128 (start - previous start) and
///                  SLEB128 (end - start); small numbers for source-ordered spans
///     7 costBound  ULEB128
///     8 declarations  (since version 2) count, then per variable slot its declared
///                  type: a tag byte (`DeclaredTypeTag`) and the types it takes, in
///                  order (list: element; map: key, value), so a type is its tree in
///                  pre-order; since version 4 a JSON Schema (tag 11, then the
///                  schema as `InputSchema+Encoding.swift` lays it out)
///     9 overloads  (since version 3) count (as many as functions), then per function
///                  slot a count and that many overload id strings (none: resolved by
///                  name when loaded)
///
/// A string is ULEB128 byte length + UTF-8. Counts are ULEB128.
///
/// Encoding never fails: a module that is not verifiable still encodes (unused
/// operands aside, which are dropped; declared types nested deeper than
/// `DeclaredType.maxDepth` encode but do not decode), so tools can write what they
/// were given. The encoder always writes the current `Module.formatVersion`.
public enum ModuleEncoder {
    public static func encode(_ module: Module) -> [UInt8] {
        var out = Module.magic
        out.append(UInt8(truncatingIfNeeded: Module.formatVersion))
        out.append(UInt8(truncatingIfNeeded: Module.formatVersion >> 8))

        section(.constants, into: &out) { p in
            uleb(module.constants.count, &p)
            for constant in module.constants { encodeConstant(constant, into: &p) }
        }
        section(.names, into: &out) { p in
            uleb(module.names.count, &p)
            for name in module.names { string(name, &p) }
        }
        section(.variables, into: &out) { p in
            uleb(module.variables.count, &p)
            for variable in module.variables { string(variable, &p) }
        }
        section(.functions, into: &out) { p in
            uleb(module.functions.count, &p)
            for function in module.functions {
                string(function.name, &p)
                p.append(function.arity)
                p.append(function.receiver ? 1 : 0)
            }
        }
        section(.code, into: &out) { p in
            LEB128.appendUnsigned(UInt64(module.registerCount), to: &p)
            uleb(module.code.count, &p)
            for instruction in module.code {
                p.append(instruction.opcode.rawValue)
                let kinds = instruction.opcode.operands
                if kinds.a != .unused { LEB128.appendUnsigned(UInt64(instruction.a), to: &p) }
                if kinds.b != .unused { LEB128.appendUnsigned(UInt64(instruction.b), to: &p) }
                if kinds.c != .unused { LEB128.appendUnsigned(UInt64(instruction.c), to: &p) }
            }
        }
        section(.spans, into: &out) { p in
            uleb(module.spans.count, &p)
            var previousStart: Int64 = 0
            for span in module.spans {
                // Differences of Int32 values always fit in Int64.
                LEB128.appendSigned(Int64(span.start) - previousStart, to: &p)
                LEB128.appendSigned(Int64(span.end) - Int64(span.start), to: &p)
                previousStart = Int64(span.start)
            }
        }
        section(.costBound, into: &out) { p in
            LEB128.appendUnsigned(module.costBound, to: &p)
        }
        section(.declarations, into: &out) { p in
            uleb(module.declarations.count, &p)
            for type in module.declarations { encodeType(type, into: &p) }
        }
        section(.overloads, into: &out) { p in
            uleb(module.functions.count, &p)
            for function in module.functions {
                uleb(function.overloads.count, &p)
                for id in function.overloads { string(id, &p) }
            }
        }
        return out
    }

    private static func section(_ id: ModuleSection, into out: inout [UInt8],
                                _ body: (inout [UInt8]) -> Void) {
        var payload: [UInt8] = []
        body(&payload)
        out.append(id.rawValue)
        uleb(payload.count, &out)
        out.append(contentsOf: payload)
    }

    private static func encodeConstant(_ constant: Constant, into p: inout [UInt8]) {
        switch constant {
        case .null:
            p.append(ConstantTag.null.rawValue)
        case .bool(let v):
            p.append(ConstantTag.bool.rawValue)
            p.append(v ? 1 : 0)
        case .int(let v):
            p.append(ConstantTag.int.rawValue)
            LEB128.appendSigned(v, to: &p)
        case .uint(let v):
            p.append(ConstantTag.uint.rawValue)
            LEB128.appendUnsigned(v, to: &p)
        case .double(let v):
            p.append(ConstantTag.double.rawValue)
            let bits = v.bitPattern
            for i in 0..<8 { p.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
        case .string(let v):
            p.append(ConstantTag.string.rawValue)
            string(v, &p)
        case .bytes(let v):
            p.append(ConstantTag.bytes.rawValue)
            uleb(v.count, &p)
            p.append(contentsOf: v)
        case .type(let v):
            p.append(ConstantTag.type.rawValue)
            string(v, &p)
        case .timestamp(let seconds, let nanos):
            p.append(ConstantTag.timestamp.rawValue)
            LEB128.appendSigned(seconds, to: &p)
            LEB128.appendSigned(Int64(nanos), to: &p)
        case .duration(let seconds, let nanos):
            p.append(ConstantTag.duration.rawValue)
            LEB128.appendSigned(seconds, to: &p)
            LEB128.appendSigned(Int64(nanos), to: &p)
        case .list(let elements):
            p.append(ConstantTag.list.rawValue)
            uleb(elements.count, &p)
            for index in elements { LEB128.appendUnsigned(UInt64(index), to: &p) }
        case .map(let entries):
            p.append(ConstantTag.map.rawValue)
            uleb(entries.count, &p)
            for index in entries { LEB128.appendUnsigned(UInt64(index), to: &p) }
        }
    }

    private static func encodeType(_ type: DeclaredType, into p: inout [UInt8]) {
        switch type {
        case .dyn: p.append(DeclaredTypeTag.dyn.rawValue)
        case .bool: p.append(DeclaredTypeTag.bool.rawValue)
        case .int: p.append(DeclaredTypeTag.int.rawValue)
        case .uint: p.append(DeclaredTypeTag.uint.rawValue)
        case .double: p.append(DeclaredTypeTag.double.rawValue)
        case .string: p.append(DeclaredTypeTag.string.rawValue)
        case .bytes: p.append(DeclaredTypeTag.bytes.rawValue)
        case .timestamp: p.append(DeclaredTypeTag.timestamp.rawValue)
        case .duration: p.append(DeclaredTypeTag.duration.rawValue)
        case .list(let element):
            p.append(DeclaredTypeTag.list.rawValue)
            encodeType(element, into: &p)
        case .map(let key, let value):
            p.append(DeclaredTypeTag.map.rawValue)
            encodeType(key, into: &p)
            encodeType(value, into: &p)
        case .schema(let schema):
            p.append(DeclaredTypeTag.schema.rawValue)
            schema.encode(into: &p)
        }
    }

    private static func uleb(_ count: Int, _ p: inout [UInt8]) {
        // Counts are never negative; UInt64(exactly:) would only fail on a negative Int.
        LEB128.appendUnsigned(UInt64(UInt(bitPattern: count)), to: &p)
    }

    private static func string(_ s: String, _ p: inout [UInt8]) {
        uleb(s.utf8.count, &p)
        p.append(contentsOf: s.utf8)
    }
}
