import SpectralBytecode
import SpectralRegex

/// CEL's core functions: size, string predicates, matches, type, dyn.
enum StandardFunctions {
    private static let A = SignatureType.param("A")
    private static let B = SignatureType.param("B")

    static let functions: [LibraryFunction] = [
        LibraryFunction("size", [
            .global("size_string", [.string], .int, sizeString),
            .receiver("string_size", [.string], .int, sizeString),
            .global("size_bytes", [.bytes], .int, sizeBytes),
            .receiver("bytes_size", [.bytes], .int, sizeBytes),
            .global("size_list", [.list(A)], .int, sizeList),
            .receiver("list_size", [.list(A)], .int, sizeList),
            .global("size_map", [.map(A, B)], .int, sizeMap),
            .receiver("map_size", [.map(A, B)], .int, sizeMap),
        ]),
        LibraryFunction("contains", [
            .receiver("contains_string", [.string, .string], .bool) { heap, args in
                guard case .string(let s) = args[0], case .string(let t) = args[1] else {
                    return noSuchOverload("contains", args, &heap)
                }
                heap.chargeWork(bytes: heap.strings[Int(s)].utf8.count)
                return .bool(StringSearch.contains(heap.strings[Int(s)], heap.strings[Int(t)]))
            },
        ]),
        LibraryFunction("startsWith", [
            .receiver("starts_with_string", [.string, .string], .bool) { heap, args in
                guard case .string(let s) = args[0], case .string(let t) = args[1] else {
                    return noSuchOverload("startsWith", args, &heap)
                }
                heap.chargeWork(bytes: heap.strings[Int(t)].utf8.count * WorkPrice.forwardCompare)
                return .bool(heap.strings[Int(s)].utf8.starts(with: heap.strings[Int(t)].utf8))
            },
        ]),
        LibraryFunction("endsWith", [
            .receiver("ends_with_string", [.string, .string], .bool) { heap, args in
                guard case .string(let s) = args[0], case .string(let t) = args[1] else {
                    return noSuchOverload("endsWith", args, &heap)
                }
                heap.chargeWork(bytes: heap.strings[Int(t)].utf8.count * WorkPrice.reverseCompare)
                return .bool(heap.strings[Int(s)].utf8.reversed().starts(with: heap.strings[Int(t)].utf8.reversed()))
            },
        ]),
        LibraryFunction("matches", [
            .global("matches", [.string, .string], .bool, matches),
            .receiver("matches_string", [.string, .string], .bool, matches),
        ]),
        // `dyn(x)` compiles to x itself; the implementation serves unchecked modules.
        LibraryFunction("dyn", [.global("to_dyn", [A], .dyn) { _, args in args[0] }]),
        LibraryFunction("type", [.global("type", [A], .type(A)) { _, args in .type(args[0].typeKind) }]),
        // Compiled to the `notStrictlyFalse` instruction; kept callable for older modules.
        LibraryFunction("@not_strictly_false", [
            .global("not_strictly_false", [.dyn], .bool) { _, args in
                if case .bool(false) = args[0] { return .bool(false) }
                return .bool(true)
            },
        ]),
    ]

    private static let sizeString: Builtin = { heap, args in
        guard case .string(let h) = args[0] else { return noSuchOverload("size", args, &heap) }
        heap.chargeWork(bytes: heap.strings[Int(h)].utf8.count)
        return .int(Int64(heap.strings[Int(h)].unicodeScalars.count))
    }

    private static let sizeBytes: Builtin = { heap, args in
        guard case .bytes(let h) = args[0] else { return noSuchOverload("size", args, &heap) }
        return .int(Int64(heap.bytes[Int(h)].count))
    }

    private static let sizeList: Builtin = { heap, args in
        guard case .list(let h) = args[0] else { return noSuchOverload("size", args, &heap) }
        return .int(Int64(heap.lists[Int(h)].count))
    }

    private static let sizeMap: Builtin = { heap, args in
        guard case .map(let h) = args[0] else { return noSuchOverload("size", args, &heap) }
        return .int(Int64(heap.maps[Int(h)].count))
    }

    // Constant patterns take the `matchConst` opcode; this is the dynamic form.
    private static let matches: Builtin = { heap, args throws(Trap) in
        guard case .string(let s) = args[0], case .string(let p) = args[1] else {
            return noSuchOverload("matches", args, &heap)
        }
        // Compiling and matching are charged by the work they really do (RegexMetering).
        return try RegexMetering.compileAndMatch(pattern: heap.strings[Int(p)], text: heap.strings[Int(s)], heap: &heap)
    }
}

/// Substring search over UTF-8 bytes (CEL compares code points, not grapheme clusters).
enum StringSearch {
    /// Needles up to this length use the allocation-free scan below (at most this many
    /// byte compares per haystack byte); longer ones the linear-time KMP search, so an
    /// adversarial needle cannot make one call quadratic.
    static let shortNeedle = 32

    /// Searches the strings' own UTF-8 storage.
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.utf8.count > shortNeedle {
            return firstIndex(of: Array(needle.utf8), in: Array(haystack.utf8), from: 0) != nil
        }
        var haystack = haystack, needle = needle
        return haystack.withUTF8 { h in needle.withUTF8 { n in scan(h, n) } }
    }

    /// A first-byte scan with a full compare at each candidate.
    private static func scan(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if needle.isEmpty { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        let last = haystack.count - needle.count
        var i = 0
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// Byte offset of the first occurrence of `needle` at or after `start` (linear time).
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        if needle.isEmpty { return start <= haystack.count ? start : nil }
        return SubsequenceSearch(needle).firstIndex(in: haystack, from: start)
    }
}
