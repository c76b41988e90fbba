import SpectralBytecode

extension Executable {
    /// An estimate of the heap bytes this executable keeps alive: its module (code, spans,
    /// constant pool, names), the packed code, resolved functions and compiled patterns.
    /// Cheap (one pass over the constants and patterns, no allocation) and meant for
    /// bounding caches by bytes, not for exact accounting: array headers count 32 bytes,
    /// strings their UTF-8 length plus 16. Does not include a `Machine`'s heap, which
    /// each evaluation owns and which `Limits.memory` bounds.
    public var residentBytes: Int {
        var bytes = 256
        bytes += module.code.count * (MemoryLayout<Instruction>.stride + 8)        // module code + packed code
        bytes += module.spans.count * MemoryLayout<SourceRange>.stride
        bytes += functions.count * 16 + module.functions.count * 48
        bytes += patterns.count * 8 + 4 * 32
        for name in module.names { bytes += name.utf8.count + 16 }
        for name in module.variables { bytes += name.utf8.count + 16 + 8 }
        for constant in module.constants {
            bytes += MemoryLayout<Constant>.stride
            switch constant {
            case .string(let s), .type(let s): bytes += s.utf8.count + 16
            case .bytes(let b): bytes += b.count + 32
            case .list(let items), .map(let items): bytes += items.count * 4 + 32
            default: break
            }
        }
        for pattern in patterns { if let pattern { bytes += pattern.residentBytes } }
        bytes += fieldLayouts.residentBytes + schemaPlan.residentBytes
        return bytes
    }
}
