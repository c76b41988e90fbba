import SpectralBytecode

/// CEL's `strings` extension library (cel-go `ext.Strings`): charAt, indexOf, lastIndexOf,
/// lowerAscii, upperAscii, replace, split, substring, trim, join, reverse, format and
/// `strings.quote`. Every index counts Unicode code points, never bytes or graphemes.
enum StringsExtension {
    static let functions: [LibraryFunction] = [
        LibraryFunction("charAt", [
            .receiver("string_char_at_int", [.string, .int], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap), case .int(let i) = args[1] else {
                    return noSuchOverload("charAt", args, &heap)
                }
                return try charAt(s, i, &heap)
            },
        ]),
        LibraryFunction("indexOf", [
            .receiver("string_index_of_string", [.string, .string], .int) { heap, args in
                guard let s = text(args[0], heap), let t = text(args[1], heap) else {
                    return noSuchOverload("indexOf", args, &heap)
                }
                return indexOf(s, t, offset: nil, &heap)
            },
            .receiver("string_index_of_string_int", [.string, .string, .int], .int) { heap, args in
                guard let s = text(args[0], heap), let t = text(args[1], heap), case .int(let offset) = args[2] else {
                    return noSuchOverload("indexOf", args, &heap)
                }
                return indexOf(s, t, offset: offset, &heap)
            },
        ]),
        LibraryFunction("lastIndexOf", [
            .receiver("string_last_index_of_string", [.string, .string], .int) { heap, args in
                guard let s = text(args[0], heap), let t = text(args[1], heap) else {
                    return noSuchOverload("lastIndexOf", args, &heap)
                }
                return lastIndexOf(s, t, offset: nil, &heap)
            },
            .receiver("string_last_index_of_string_int", [.string, .string, .int], .int) { heap, args in
                guard let s = text(args[0], heap), let t = text(args[1], heap), case .int(let offset) = args[2] else {
                    return noSuchOverload("lastIndexOf", args, &heap)
                }
                return lastIndexOf(s, t, offset: offset, &heap)
            },
        ]),
        LibraryFunction("lowerAscii", [
            .receiver("string_lower_ascii", [.string], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap) else { return noSuchOverload("lowerAscii", args, &heap) }
                return try heap.makeString(mapASCII(s, from: 0x41...0x5A, offset: 0x20))
            },
        ]),
        LibraryFunction("upperAscii", [
            .receiver("string_upper_ascii", [.string], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap) else { return noSuchOverload("upperAscii", args, &heap) }
                return try heap.makeString(mapASCII(s, from: 0x61...0x7A, offset: -0x20))
            },
        ]),
        LibraryFunction("replace", [
            .receiver("string_replace_string_string", [.string, .string, .string], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap), let old = text(args[1], heap), let new = text(args[2], heap) else {
                    return noSuchOverload("replace", args, &heap)
                }
                return try replace(s, old, new, limit: -1, &heap)
            },
            .receiver("string_replace_string_string_int", [.string, .string, .string, .int], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap), let old = text(args[1], heap), let new = text(args[2], heap),
                      case .int(let limit) = args[3] else {
                    return noSuchOverload("replace", args, &heap)
                }
                if limit == 0 { return args[0] }
                return try replace(s, old, new, limit: limit, &heap)
            },
        ]),
        LibraryFunction("split", [
            .receiver("string_split_string", [.string, .string], .list(.string)) { heap, args throws(Trap) in
                guard let s = text(args[0], heap), let sep = text(args[1], heap) else {
                    return noSuchOverload("split", args, &heap)
                }
                return try split(s, sep, limit: -1, &heap)
            },
            .receiver("string_split_string_int", [.string, .string, .int], .list(.string)) { heap, args throws(Trap) in
                guard let s = text(args[0], heap), let sep = text(args[1], heap), case .int(let limit) = args[2] else {
                    return noSuchOverload("split", args, &heap)
                }
                return try split(s, sep, limit: limit, &heap)
            },
        ]),
        LibraryFunction("substring", [
            .receiver("string_substring_int", [.string, .int], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap), case .int(let start) = args[1] else {
                    return noSuchOverload("substring", args, &heap)
                }
                return try substring(s, start, nil, &heap)
            },
            .receiver("string_substring_int_int", [.string, .int, .int], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap), case .int(let start) = args[1], case .int(let end) = args[2] else {
                    return noSuchOverload("substring", args, &heap)
                }
                return try substring(s, start, end, &heap)
            },
        ]),
        LibraryFunction("trim", [
            .receiver("string_trim", [.string], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap) else { return noSuchOverload("trim", args, &heap) }
                return try heap.makeString(trim(s))
            },
        ]),
        LibraryFunction("join", [
            .receiver("list_join", [.list(.string)], .string) { heap, args throws(Trap) in try join(args, separator: "", &heap) },
            .receiver("list_join_string", [.list(.string), .string], .string) { heap, args throws(Trap) in
                guard let separator = text(args[1], heap) else { return noSuchOverload("join", args, &heap) }
                return try join(args, separator: separator, &heap)
            },
        ]),
        LibraryFunction("reverse", [
            .receiver("string_reverse", [.string], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap) else { return noSuchOverload("reverse", args, &heap) }
                heap.chargeWork(bytes: s.utf8.count * WorkPrice.buildScalars)
                return try heap.makeString(string(from: s.unicodeScalars.reversed()))
            },
        ]),
        LibraryFunction("format", [
            .receiver("string_format", [.string, .list(.dyn)], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap), case .list(let h) = args[1] else {
                    return noSuchOverload("format", args, &heap)
                }
                switch StringFormatter.format(s, heap.lists[Int(h)], in: heap) {
                case .success(let out): return try heap.makeString(out)
                case .failure(let error): return heap.makeError(error.message)
                }
            },
        ]),
        LibraryFunction("strings.quote", [
            .global("strings_quote", [.string], .string) { heap, args throws(Trap) in
                guard let s = text(args[0], heap) else { return noSuchOverload("strings.quote", args, &heap) }
                heap.chargeWork(bytes: s.utf8.count * WorkPrice.buildScalars)
                return try heap.makeString(quote(s))
            },
        ]),
    ]

    /// `list.join()` / `list.join(separator)`: every element must be a string.
    private static func join(_ args: UnsafeBufferPointer<Value>, separator: String, _ heap: inout Heap) throws(Trap) -> Value {
        guard case .list(let h) = args[0] else { return noSuchOverload("join", args, &heap) }
        var parts: [String] = []
        parts.reserveCapacity(heap.lists[Int(h)].count)
        for element in heap.lists[Int(h)] {
            guard let part = text(element, heap) else { return noSuchOverload("join", args, &heap) }
            parts.append(part)
        }
        return try heap.makeString(parts.joined(separator: separator))
    }

    // MARK: Helpers

    static func text(_ value: Value, _ heap: Heap) -> String? {
        if case .string(let h) = value { return heap.strings[Int(h)] }
        return nil
    }

    static func string<S: Sequence>(from scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func outOfRange(_ index: Int64, _ heap: inout Heap) -> Value {
        heap.makeError("index out of range: \(index)")
    }

    // MARK: Functions

    static func charAt(_ s: String, _ index: Int64, _ heap: inout Heap) throws(Trap) -> Value {
        heap.chargeWork(bytes: s.utf8.count * WorkPrice.decodeScalars)
        let scalars = Array(s.unicodeScalars)
        // Like cel-go, the position just past the end is allowed and gives "".
        guard index >= 0, index <= Int64(scalars.count) else { return outOfRange(index, &heap) }
        if index == Int64(scalars.count) { return try heap.makeString("") }
        return try heap.makeString(String(scalars[Int(index)]))
    }

    /// `s.indexOf(t)` / `s.indexOf(t, offset)`. The offset may be anywhere in `0...size`
    /// (cel-go also rejects `size` itself for a non-empty `t`; a search starting at the
    /// end simply finds nothing).
    static func indexOf(_ s: String, _ t: String, offset: Int64?, _ heap: inout Heap) -> Value {
        heap.chargeWork(bytes: (s.utf8.count + t.utf8.count) * WorkPrice.searchScalars)
        let haystack = Array(s.unicodeScalars)
        let start = offset ?? 0
        guard start >= 0, start <= Int64(haystack.count) else { return outOfRange(start, &heap) }
        if t.isEmpty { return .int(start) }
        let search = SubsequenceSearch(Array(t.unicodeScalars))
        return .int(search.firstIndex(in: haystack, from: Int(start)).map(Int64.init) ?? -1)
    }

    /// `s.lastIndexOf(t)` / `s.lastIndexOf(t, offset)`: the last match starting at or
    /// before `offset` (default: the end).
    static func lastIndexOf(_ s: String, _ t: String, offset: Int64?, _ heap: inout Heap) -> Value {
        heap.chargeWork(bytes: (s.utf8.count + t.utf8.count) * WorkPrice.searchScalars)
        let haystack = Array(s.unicodeScalars)
        let start = offset ?? Int64(haystack.count)
        guard start >= 0, start <= Int64(haystack.count) else { return outOfRange(start, &heap) }
        if t.isEmpty { return .int(start) }
        let search = SubsequenceSearch(Array(t.unicodeScalars))
        return .int(search.lastIndex(in: haystack, atOrBefore: Int(start)).map(Int64.init) ?? -1)
    }

    /// ASCII-only case mapping on UTF-8 bytes: bytes below 0x80 never occur inside a
    /// multi-byte sequence, so non-ASCII text passes through untouched.
    static func mapASCII(_ s: String, from range: ClosedRange<UInt8>, offset: Int) -> String {
        let bytes = s.utf8.map { range.contains($0) ? UInt8(Int($0) + offset) : $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Go's `strings.Replace`: a negative limit replaces every match; an empty `old`
    /// matches before every code point and at the end.
    static func replace(_ s: String, _ old: String, _ new: String, limit: Int64, _ heap: inout Heap) throws(Trap) -> Value {
        let maxCount: Int? = limit < 0 ? nil : Int(clamping: limit)
        if old.isEmpty {
            heap.chargeWork(bytes: s.utf8.count * WorkPrice.buildScalars)
            let scalars = Array(s.unicodeScalars)
            let insertions = min(scalars.count + 1, maxCount ?? Int.max)
            try heap.checkOutput(bytes: s.utf8.count &+ insertions.multipliedReportingOverflow(by: new.utf8.count).partialValue)
            var out = String.UnicodeScalarView()
            let newScalars = new.unicodeScalars
            var done = 0
            for i in 0...scalars.count {
                if maxCount.map({ done < $0 }) ?? true {
                    out.append(contentsOf: newScalars)
                    done += 1
                }
                if i < scalars.count { out.append(scalars[i]) }
            }
            return try heap.makeString(String(out))
        }
        let bytes = Array(s.utf8)
        let positions = SubsequenceSearch(Array(old.utf8)).matches(in: bytes, limit: maxCount)
        heap.chargeWork(bytes: positions.count * WorkPrice.replacement)
        if positions.isEmpty { return try heap.makeString(s) }
        try heap.checkOutput(bytes: bytes.count &+ positions.count.multipliedReportingOverflow(by: new.utf8.count).partialValue)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let newBytes = Array(new.utf8)
        var last = 0
        let oldCount = old.utf8.count
        for p in positions {
            out.append(contentsOf: bytes[last..<p])
            out.append(contentsOf: newBytes)
            last = p + oldCount
        }
        out.append(contentsOf: bytes[last...])
        return try heap.makeString(String(decoding: out, as: UTF8.self))
    }

    /// Go's `strings.SplitN`: limit 0 gives an empty list, a negative limit splits at
    /// every separator, a positive one yields at most that many parts (the last holding
    /// the rest). An empty separator splits into single code points.
    static func split(_ s: String, _ sep: String, limit: Int64, _ heap: inout Heap) throws(Trap) -> Value {
        if limit == 0 { return try heap.makeList([]) }
        var parts: [String] = []
        if sep.isEmpty {
            let scalars = Array(s.unicodeScalars)
            let count = limit < 0 ? scalars.count : min(scalars.count, Int(clamping: limit))
            for i in 0..<count {
                if i == count - 1 && count < scalars.count {
                    parts.append(string(from: scalars[i...]))
                } else {
                    parts.append(String(scalars[i]))
                }
            }
        } else {
            let bytes = Array(s.utf8)
            let maxMatches: Int? = limit < 0 ? nil : Int(clamping: limit) - 1
            let positions = SubsequenceSearch(Array(sep.utf8)).matches(in: bytes, limit: maxMatches)
            var last = 0
            for p in positions {
                parts.append(String(decoding: bytes[last..<p], as: UTF8.self))
                last = p + sep.utf8.count
            }
            parts.append(String(decoding: bytes[last...], as: UTF8.self))
        }
        heap.chargeWork(bytes: s.utf8.count * (sep.isEmpty ? WorkPrice.decodeScalars : 1))
        heap.chargeWork(elements: parts.count * WorkPrice.splitPiece)
        var values: [Value] = []
        values.reserveCapacity(parts.count)
        for part in parts { values.append(try heap.makeString(part)) }
        return try heap.makeList(values)
    }

    static func substring(_ s: String, _ start: Int64, _ end: Int64?, _ heap: inout Heap) throws(Trap) -> Value {
        heap.chargeWork(bytes: s.utf8.count * WorkPrice.decodeScalars)
        let scalars = Array(s.unicodeScalars)
        let size = Int64(scalars.count)
        if let end, start > end {
            return heap.makeError("invalid substring range. start: \(start), end: \(end)")
        }
        guard start >= 0, start <= size else { return outOfRange(start, &heap) }
        let stop = end ?? size
        guard stop >= 0, stop <= size else { return outOfRange(stop, &heap) }
        heap.chargeWork(bytes: Int(stop - start) * WorkPrice.buildScalars)
        return try heap.makeString(string(from: scalars[Int(start)..<Int(stop)]))
    }

    /// Go's `unicode.IsSpace`: the Unicode White_Space property (which excludes the
    /// zero-width spaces U+200B and U+FEFF).
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    static func trim(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// `strings.quote`: a double-quoted CEL string literal; only the characters CEL has
    /// short escapes for are escaped, everything else is kept verbatim.
    static func quote(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        out.append("\"")
        for c in s.unicodeScalars {
            switch c {
            case "\u{07}": out.append(contentsOf: "\\a".unicodeScalars)
            case "\u{08}": out.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": out.append(contentsOf: "\\f".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\u{0B}": out.append(contentsOf: "\\v".unicodeScalars)
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\"": out.append(contentsOf: "\\\"".unicodeScalars)
            default: out.append(c)
            }
        }
        out.append("\"")
        return String(out)
    }
}
