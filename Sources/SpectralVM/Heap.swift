/// The per-evaluation arena. Every string, byte string, list, map and error message built
/// while evaluating lives here and is referred to by index from `Value`. Nothing is freed
/// individually: `reset(to:)` truncates back to a mark between evaluations, keeping the
/// storage's capacity, so steady-state evaluation does not allocate for the arena itself.
///
/// It also enforces the evaluation's memory limit: every allocation is charged an
/// estimate of its size, and exceeding the limit is a trap.
public struct Heap: Sendable {
    public internal(set) var strings: [String] = []
    public internal(set) var bytes: [[UInt8]] = []
    public internal(set) var lists: [[Value]] = []
    public internal(set) var maps: [MapObject] = []
    public internal(set) var errors: [String] = []

    /// Bytes charged so far (since the last reset to a mark).
    public private(set) var usedBytes: Int = 0
    /// Fuel owed for size-dependent work (copying, scanning, comparing) since the last
    /// fuel charge; the interpreter collects it at the next block head.
    public internal(set) var pendingWork: Int = 0
    public var memoryLimit: Int

    public init(memoryLimit: Int = 8 << 20) {
        self.memoryLimit = memoryLimit
    }

    /// A position in the heap to return to.
    public struct Mark: Sendable {
        var strings = 0, bytes = 0, lists = 0, maps = 0, errors = 0, usedBytes = 0
    }

    public var mark: Mark {
        Mark(strings: strings.count, bytes: bytes.count, lists: lists.count, maps: maps.count,
             errors: errors.count, usedBytes: usedBytes)
    }

    /// Drops everything allocated after `mark`.
    public mutating func reset(to mark: Mark) {
        if strings.count > mark.strings { strings.removeSubrange(mark.strings...) }
        if bytes.count > mark.bytes { bytes.removeSubrange(mark.bytes...) }
        if lists.count > mark.lists { lists.removeSubrange(mark.lists...) }
        if maps.count > mark.maps { maps.removeSubrange(mark.maps...) }
        if errors.count > mark.errors { errors.removeSubrange(mark.errors...) }
        usedBytes = mark.usedBytes
        pendingWork = 0
        ownedLists = mark.lists
        ownedMaps = mark.maps
    }

    /// Lists and maps at or above these handles were built since the last reset (by this
    /// evaluation); older ones (the bound input) are never modified.
    private var ownedLists = 0, ownedMaps = 0

    // MARK: Accounting

    /// Fixed per-object overhead charged on top of the payload (headers, index entries).
    static let objectOverhead = 32

    /// Records size-dependent work: one fuel unit per `CostTable`-sized chunk of bytes.
    @inline(__always)
    mutating func chargeWork(bytes: Int) {
        pendingWork &+= bytes >> 4
    }

    @inline(__always)
    mutating func chargeWork(elements: Int) {
        pendingWork &+= elements
    }

    /// Takes the pending work (the interpreter subtracts it from the fuel).
    @inline(__always)
    mutating func takeWork() -> Int {
        let work = pendingWork
        pendingWork = 0
        return work
    }

    /// Charges memory (and the work of writing it).
    @inline(__always)
    mutating func charge(_ amount: Int) throws(Trap) {
        pendingWork &+= amount >> 4
        usedBytes &+= amount
        if usedBytes > memoryLimit { throw Trap.memoryExhausted(limit: memoryLimit) }
    }

    // MARK: Allocation

    public mutating func makeString(_ text: String) throws(Trap) -> Value {
        try charge(text.utf8.count + Self.objectOverhead)
        strings.append(text)
        return .string(UInt32(strings.count - 1))
    }

    public mutating func makeBytes(_ data: [UInt8]) throws(Trap) -> Value {
        try charge(data.count + Self.objectOverhead)
        bytes.append(data)
        return .bytes(UInt32(bytes.count - 1))
    }

    public mutating func makeList(_ elements: [Value]) throws(Trap) -> Value {
        try charge(elements.count * MemoryLayout<Value>.stride + Self.objectOverhead)
        lists.append(elements)
        return .list(UInt32(lists.count - 1))
    }

    /// Appends to a list this evaluation owns (a comprehension accumulator). Returns false,
    /// appending nothing, when that could corrupt values: the list is older than the
    /// evaluation (bound input, shared by later runs), or `element` contains the list (a
    /// cycle, which no recursive consumer of values survives). Compiled code never does either.
    mutating func append(_ element: Value, toList handle: UInt32) throws(Trap) -> Bool {
        guard Int(handle) >= ownedLists else { return false }
        switch element {
        case .list, .map: if reaches(element, list: Int(handle)) { return false }
        default: break
        }
        try charge(MemoryLayout<Value>.stride)
        lists[Int(handle)].append(element)
        return true
    }

    /// Whether `list` is reachable from `value`. Only lists and maps built by this evaluation
    /// need visiting: older ones cannot be modified, so they cannot contain newer ones.
    private mutating func reaches(_ value: Value, list target: Int) -> Bool {
        var pending = [value], seenLists = Set<Int>(), seenMaps = Set<Int>()
        while let next = pending.popLast() {
            switch next {
            case .list(let h):
                let h = Int(h)
                if h == target { return true }
                guard h >= ownedLists, seenLists.insert(h).inserted else { continue }
                chargeWork(elements: lists[h].count)
                pending.append(contentsOf: lists[h])
            case .map(let h):
                let h = Int(h)
                guard h >= ownedMaps, seenMaps.insert(h).inserted else { continue }
                chargeWork(elements: maps[h].count)
                pending.append(contentsOf: maps[h].values)
            default: continue
            }
        }
        return false
    }

    /// Builds a map from alternating keys and values; a repeated key is a CEL error.
    public mutating func makeMap(keys: [Value], values: [Value]) throws(Trap) -> Value {
        var map = MapObject()
        map.keys.reserveCapacity(keys.count)
        map.values.reserveCapacity(keys.count)
        for (key, value) in zip(keys, values) {
            if key.isError { return key }
            if value.isError { return value }
            let mapKey = MapKey.of(key, in: self)
            switch mapKey {
            case .double, .other, .null:
                return makeError("unsupported key type: \(key.typeKind.name)")
            default: break
            }
            if map.index[mapKey] != nil {
                return makeError("repeated key in map literal: \(Printer.describe(key, in: self))")
            }
            map.index[mapKey] = map.keys.count
            map.keys.append(key)
            map.values.append(value)
        }
        try charge(keys.count * 3 * MemoryLayout<Value>.stride + Self.objectOverhead)
        maps.append(map)
        return .map(UInt32(maps.count - 1))
    }

    /// Records a CEL error. Errors are charged too: a loop producing millions of them
    /// must stop at the memory limit rather than grow without bound.
    public mutating func makeError(_ message: String) -> Value {
        usedBytes &+= message.utf8.count + Self.objectOverhead
        errors.append(message)
        return .error(UInt32(errors.count - 1))
    }

    // MARK: Access

    @inline(__always) public func string(_ handle: UInt32) -> String { strings[Int(handle)] }
    @inline(__always) public func byteString(_ handle: UInt32) -> [UInt8] { bytes[Int(handle)] }
    @inline(__always) public func list(_ handle: UInt32) -> [Value] { lists[Int(handle)] }
    @inline(__always) public func map(_ handle: UInt32) -> MapObject { maps[Int(handle)] }
    @inline(__always) public func errorMessage(_ handle: UInt32) -> String { errors[Int(handle)] }

    /// Looks a key up in a map; nil when absent.
    public func lookup(_ key: Value, inMap handle: UInt32) -> Value? {
        let map = maps[Int(handle)]
        guard let position = map.index[MapKey.of(key, in: self)] else { return nil }
        return map.values[position]
    }

    /// Looks a string key up in a map without building a `Value` for it.
    public func lookup(field: String, inMap handle: UInt32) -> Value? {
        let map = maps[Int(handle)]
        guard let position = map.index[.string(ExactString(field))] else { return nil }
        return map.values[position]
    }
}
