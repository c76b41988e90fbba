extension ModuleDecoder {
    /// One declared type: a tag byte, then the types its constructor takes, in pre-order.
    /// Recursive, so the nesting is bounded by `DeclaredType.maxDepth`: the input may be
    /// a megabyte of `list` tags.
    static func declaredType(_ r: inout ByteReader, variable i: Int, version: UInt16, depth: Int = 1)
        throws(ModuleFormatError) -> DeclaredType
    {
        let tagOffset = r.offset
        let tagByte = try r.byte("declared type of variable \(i)")
        // A schema in a module that says it is older is as unknown as any other tag.
        guard let tag = DeclaredTypeTag(rawValue: tagByte), tag != .schema || version >= 4 else {
            throw ModuleFormatError(offset: tagOffset, kind: .unknownTypeTag,
                                    message: "declared type of variable \(i) has unknown tag \(tagByte)")
        }
        switch tag {
        case .dyn: return .dyn
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .schema: return .schema(try schema(&r, variable: i, depth: depth))
        case .list, .map:
            guard depth < DeclaredType.maxDepth else {
                throw ModuleFormatError(offset: tagOffset, kind: .typeTooDeep,
                                        message: "declared type of variable \(i) nests deeper than \(DeclaredType.maxDepth) levels")
            }
            let first = try declaredType(&r, variable: i, version: version, depth: depth + 1)
            guard tag == .map else { return .list(first) }
            return .map(key: first, value: try declaredType(&r, variable: i, version: version, depth: depth + 1))
        }
    }
}
