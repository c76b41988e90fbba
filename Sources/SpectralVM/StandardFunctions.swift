import SpectralRegex

/// CEL's core functions: size, string predicates, matches, type, dyn.
enum StandardFunctions {
    static func register(_ r: inout Registry) {
        r.both("size", arity: 1) { heap, args in
            switch args[0] {
            case .string(let h):
                heap.chargeWork(bytes: heap.strings[Int(h)].utf8.count)
                return .int(Int64(heap.strings[Int(h)].unicodeScalars.count))
            case .bytes(let h): return .int(Int64(heap.bytes[Int(h)].count))
            case .list(let h): return .int(Int64(heap.lists[Int(h)].count))
            case .map(let h): return .int(Int64(heap.maps[Int(h)].count))
            default: return noSuchOverload("size", args, &heap)
            }
        }
        r.receiver("contains", arity: 2) { heap, args in
            guard case .string(let s) = args[0], case .string(let t) = args[1] else {
                return noSuchOverload("contains", args, &heap)
            }
            heap.chargeWork(bytes: heap.strings[Int(s)].utf8.count)
            return .bool(StringSearch.contains(heap.strings[Int(s)], heap.strings[Int(t)]))
        }
        r.receiver("startsWith", arity: 2) { heap, args in
            guard case .string(let s) = args[0], case .string(let t) = args[1] else {
                return noSuchOverload("startsWith", args, &heap)
            }
            heap.chargeWork(bytes: heap.strings[Int(t)].utf8.count * WorkPrice.forwardCompare)
            return .bool(heap.strings[Int(s)].utf8.starts(with: heap.strings[Int(t)].utf8))
        }
        r.receiver("endsWith", arity: 2) { heap, args in
            guard case .string(let s) = args[0], case .string(let t) = args[1] else {
                return noSuchOverload("endsWith", args, &heap)
            }
            heap.chargeWork(bytes: heap.strings[Int(t)].utf8.count * WorkPrice.reverseCompare)
            return .bool(heap.strings[Int(s)].utf8.reversed().starts(with: heap.strings[Int(t)].utf8.reversed()))
        }
        // Constant patterns take the `matchConst` opcode; this is the dynamic form.
        r.both("matches", arity: 2) { heap, args throws(Trap) in
            guard case .string(let s) = args[0], case .string(let p) = args[1] else {
                return noSuchOverload("matches", args, &heap)
            }
            // Compiling and matching are charged by the work they really do (RegexMetering).
            return try RegexMetering.compileAndMatch(pattern: heap.strings[Int(p)], text: heap.strings[Int(s)], heap: &heap)
        }
        r.global("type", arity: 1) { _, args in .type(args[0].typeKind) }
        r.global("dyn", arity: 1) { _, args in args[0] }
        r.global("@not_strictly_false", arity: 1) { _, args in
            if case .bool(false) = args[0] { return .bool(false) }
            return .bool(true)
        }
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
