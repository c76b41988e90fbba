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
            return .bool(heap.strings[Int(s)].utf8.starts(with: heap.strings[Int(t)].utf8))
        }
        r.receiver("endsWith", arity: 2) { heap, args in
            guard case .string(let s) = args[0], case .string(let t) = args[1] else {
                return noSuchOverload("endsWith", args, &heap)
            }
            return .bool(heap.strings[Int(s)].utf8.reversed().starts(with: heap.strings[Int(t)].utf8.reversed()))
        }
        // Constant patterns take the `matchConst` opcode; this is the dynamic form.
        r.both("matches", arity: 2) { heap, args in
            guard case .string(let s) = args[0], case .string(let p) = args[1] else {
                return noSuchOverload("matches", args, &heap)
            }
            // Compiling costs with the pattern, matching with pattern × text.
            heap.chargeWork(bytes: heap.strings[Int(p)].utf8.count * 16)
            heap.chargeWork(bytes: heap.strings[Int(s)].utf8.count * max(1, heap.strings[Int(p)].utf8.count / 4))
            do {
                let pattern = try Pattern(heap.strings[Int(p)])
                return .bool(pattern.matches(heap.strings[Int(s)]))
            } catch {
                return heap.makeError("invalid regular expression: \(error)")
            }
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
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        firstIndex(of: Array(needle.utf8), in: Array(haystack.utf8), from: 0) != nil
    }

    /// Byte offset of the first occurrence of `needle` at or after `start`, in time linear in
    /// both lengths (Knuth–Morris–Pratt): `contains` is charged fuel per haystack byte, so the
    /// search must not be quadratic ('aaaa…' searched for 'aa…ab').
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        if needle.isEmpty { return start <= haystack.count ? start : nil }
        guard start >= 0, haystack.count - start >= needle.count else { return nil }
        // failure[i]: length of the longest proper border of needle[0...i].
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in 1..<needle.count {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        var matched = 0
        for i in start..<haystack.count {
            while matched > 0 && haystack[i] != needle[matched] { matched = failure[matched - 1] }
            if haystack[i] == needle[matched] { matched += 1 }
            if matched == needle.count { return i - needle.count + 1 }
        }
        return nil
    }
}
