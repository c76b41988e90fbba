/// CEL equality and ordering over runtime values, including the heterogeneous numeric
/// rules: `1 == 1u == 1.0`, `1 < 1.5` (int and uint compare exactly; against a double,
/// as doubles, as cel-go does).
enum Equality {
    /// `a == b` for non-error operands. Values of unrelated types are simply unequal.
    static func equals(_ a: Value, _ b: Value, in heap: Heap) -> Bool {
        var work = 0
        return equals(a, b, in: heap, work: &work)
    }

    /// `a == b`, adding to `work` one unit per value and per 16 bytes compared (bytes only
    /// where the lengths match: only then are they read), so that
    /// comparing deeply nested values is charged fuel for all of it, not just the top level.
    static func equals(_ a: Value, _ b: Value, in heap: Heap, work: inout Int) -> Bool {
        work &+= 1
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int, .int), (.int, .uint), (.int, .double), (.uint, .int), (.uint, .uint),
             (.uint, .double), (.double, .int), (.double, .uint), (.double, .double):
            return Ordering.compareNumbers(a, b) == .equal
        case (.string(let x), .string(let y)):
            if x == y { return true }
            // Strings of different lengths differ at once; equal lengths are read in full.
            let (sx, sy) = (heap.strings[Int(x)], heap.strings[Int(y)])
            let count = sx.utf8.count
            guard count == sy.utf8.count else { return false }
            work &+= count >> 4
            return StringBytes.equalOfSameLength(sx, sy)
        case (.bytes(let x), .bytes(let y)):
            if x == y { return true }
            guard heap.bytes[Int(x)].count == heap.bytes[Int(y)].count else { return false }
            work &+= heap.bytes[Int(x)].count >> 4
            return heap.bytes[Int(x)] == heap.bytes[Int(y)]
        case (.list(let x), .list(let y)):
            // No shortcut for x == y: a list holding NaN is not equal to itself.
            let lx = heap.lists[Int(x)], ly = heap.lists[Int(y)]
            guard lx.count == ly.count else { return false }
            for i in 0..<lx.count where !equals(lx[i], ly[i], in: heap, work: &work) { return false }
            return true
        case (.map(let x), .map(let y)):
            return mapsEqual(x, y, in: heap, work: &work)
        case (.timestamp(let s1, let n1), .timestamp(let s2, let n2)),
             (.duration(let s1, let n1), .duration(let s2, let n2)):
            return s1 == s2 && n1 == n2
        case (.type(let x), .type(let y)): return x == y
        case (.object(let kx, let x), .object(let ky, let y)) where kx == ky:
            switch (heap.objects[Int(x)], heap.objects[Int(y)]) {
            case (.optional(nil), .optional(nil)): return true
            case (.optional(let vx?), .optional(let vy?)): return equals(vx, vy, in: heap, work: &work)
            case (.ip(let ax), .ip(let ay)): return ax == ay
            case (.cidr(let ax, let lx), .cidr(let ay, let ly)): return ax == ay && lx == ly
            default: return false
            }
        default: return false
        }
    }

    /// Maps `x` and `y` entry by entry, read in place. Out of line: kept out of `equals`,
    /// whose scalar and string cases the interpreter calls most.
    @inline(never)
    private static func mapsEqual(_ x: UInt32, _ y: UInt32, in heap: Heap, work: inout Int) -> Bool {
        // No shortcut for x == y (a NaN value).
        let count = heap.maps[Int(x)].count, otherCount = heap.maps[Int(y)].count
        guard count == otherCount else { return false }
        let scan = heap.maps[Int(y)].index == nil ? otherCount : 1   // a small map's lookup scans it
        for i in 0..<count {
            work &+= scan
            guard let key = heap.key(at: i, inMap: x), let found = heap.lookup(key, inMap: y),
                  equals(heap.value(at: i, inMap: x), found, in: heap, work: &work) else { return false }
        }
        return true
    }
}

enum Ordering {
    enum Result { case less, equal, greater, unordered }

    /// Orders two values, or nil when CEL defines no ordering between their types.
    static func compare(_ a: Value, _ b: Value, in heap: Heap) -> Result? {
        switch (a, b) {
        case (.int, .int), (.int, .uint), (.int, .double), (.uint, .int), (.uint, .uint),
             (.uint, .double), (.double, .int), (.double, .uint), (.double, .double):
            return compareNumbers(a, b)
        case (.bool(let x), .bool(let y)): return x == y ? .equal : (!x ? .less : .greater)
        case (.string(let x), .string(let y)):
            return lexicographic(heap.strings[Int(x)].utf8, heap.strings[Int(y)].utf8)
        case (.bytes(let x), .bytes(let y)): return lexicographic(heap.bytes[Int(x)], heap.bytes[Int(y)])
        case (.timestamp(let s1, let n1), .timestamp(let s2, let n2)),
             (.duration(let s1, let n1), .duration(let s2, let n2)):
            if s1 != s2 { return s1 < s2 ? .less : .greater }
            return n1 == n2 ? .equal : (n1 < n2 ? .less : .greater)
        default: return nil
        }
    }

    static func lexicographic<C: Collection>(_ x: C, _ y: C) -> Result where C.Element == UInt8 {
        var i = x.makeIterator(), j = y.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return .equal
            case (nil, _): return .less
            case (_, nil): return .greater
            case (let p?, let q?): if p != q { return p < q ? .less : .greater }
            }
        }
    }

    /// Exact comparison of any two numbers (int, uint, double).
    static func compareNumbers(_ a: Value, _ b: Value) -> Result {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y ? .equal : (x < y ? .less : .greater)
        case (.uint(let x), .uint(let y)): return x == y ? .equal : (x < y ? .less : .greater)
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return .unordered }
            return x == y ? .equal : (x < y ? .less : .greater)
        case (.int(let x), .uint(let y)):
            if x < 0 { return .less }
            return compareNumbers(.uint(UInt64(x)), .uint(y))
        case (.uint, .int): return flip(compareNumbers(b, a))
        case (.int(let x), .double(let y)): return compareIntDouble(x, y)
        case (.double, .int): return flip(compareNumbers(b, a))
        case (.uint(let x), .double(let y)): return compareUIntDouble(x, y)
        case (.double, .uint): return flip(compareNumbers(b, a))
        default: return .unordered
        }
    }

    private static func flip(_ r: Result) -> Result {
        switch r {
        case .less: return .greater
        case .greater: return .less
        default: return r
        }
    }

    /// Ints and doubles compare as doubles, as cel-go does (so `9223372036854775807 >=
    /// 9223372036854775808.0` holds: the int rounds up when converted).
    private static func compareIntDouble(_ x: Int64, _ y: Double) -> Result {
        compareNumbers(.double(Double(x)), .double(y))
    }

    private static func compareUIntDouble(_ x: UInt64, _ y: Double) -> Result {
        compareNumbers(.double(Double(x)), .double(y))
    }
}
