import SpectralBytecode

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
    /// Read through `map(_:)`, `key(at:inMap:)` or `value(at:inMap:)`: a laid-out map
    /// stores no values of its own, and a complete one no keys (`MapObject`).
    public internal(set) var maps: [MapObject] = []
    public internal(set) var errors: [String] = []
    /// The instruction that made each error (parallel to `errors`), -1 when none did (the
    /// errors unbound variables evaluate to): where in the source an error came from.
    public internal(set) var errorOrigins: [Int32] = []
    /// The instruction running: set by the interpreter before anything that can trap or
    /// make an error, read by `makeError` and, after a trap, by the machine.
    public internal(set) var pc: Int {
        get { Int(pcWord) }
        set { pcWord = Int32(truncatingIfNeeded: newValue) }
    }
    /// `pc` in 32 bits, as the owned handles below: the heap stays within 128 bytes, which
    /// the interpreter passes to `Equality` and the operators without copying it whole (at
    /// 144 it copied it, with `memcpy`, on every string comparison).
    private var pcWord: Int32 = -1
    public internal(set) var objects: [HeapObject] = []
    /// For each layout (`SchemaPlan.layouts`), its fields' names in field order: the keys of
    /// every complete map. Set once by the machine, below any mark; never reset.
    var layoutKeys: [[Value]] = []
    /// The values of the laid-out maps, each map's in one run (`MapObject.valueStart`).
    var laidOutValues: [Value] = []

    /// Bytes charged so far (since the last reset to a mark).
    public private(set) var usedBytes: Int = 0
    /// Fuel owed for size-dependent work (copying, scanning, comparing) since the last
    /// fuel charge; the interpreter collects it at the next block head.
    public internal(set) var pendingWork: Int = 0
    public var memoryLimit: Int
    /// The evaluation's whole fuel, so that `chargeWorkUpfront` can refuse work no fuel
    /// could pay for before doing it (set by `Machine.run`; see `Heap+Upfront.swift`).
    var fuelLimit: UInt64 = .max

    public init(memoryLimit: Int = 8 << 20) {
        self.memoryLimit = memoryLimit
    }

    /// A position in the heap to return to.
    public struct Mark: Sendable {
        var strings = 0, bytes = 0, lists = 0, maps = 0, laidOutValues = 0, errors = 0, objects = 0, usedBytes = 0
    }

    public var mark: Mark {
        Mark(strings: strings.count, bytes: bytes.count, lists: lists.count, maps: maps.count,
             laidOutValues: laidOutValues.count, errors: errors.count, objects: objects.count, usedBytes: usedBytes)
    }

    /// Drops everything allocated after `mark`; everything below it is from then on the
    /// input's, which nothing modifies (`append` and `insert` refuse it).
    @inline(__always)
    public mutating func reset(to mark: Mark) {
        // Most evaluations of predicates build nothing: then there is nothing to drop.
        if usedBytes == mark.usedBytes && pendingWork == 0 && errors.count == mark.errors
            && strings.count == mark.strings && lists.count == mark.lists {
            ownedLists = mark.lists
            ownedMaps = mark.maps
            return
        }
        resetSlowly(to: mark)
    }

    private mutating func resetSlowly(to mark: Mark) {
        // Every allocation is charged (error messages too, in `makeError`), so when nothing
        // was charged there is nothing to truncate: only pending work to drop (a predicate
        // that ends scanning a string leaves some).
        if usedBytes != mark.usedBytes {
            if strings.count > mark.strings { strings.removeSubrange(mark.strings...) }
            if bytes.count > mark.bytes { bytes.removeSubrange(mark.bytes...) }
            // Element storage is kept for the next evaluation's lists and maps (`Heap+Spares.swift`).
            while lists.count > mark.lists { keepSpare(lists.removeLast()) }
            while maps.count > mark.maps { keepSpare(maps.removeLast().values) }
            if laidOutValues.count > mark.laidOutValues { laidOutValues.removeSubrange(mark.laidOutValues...) }
            if objects.count > mark.objects { objects.removeSubrange(mark.objects...) }
            if errors.count > mark.errors {
                errors.removeSubrange(mark.errors...)
                errorOrigins.removeSubrange(mark.errors...)
            }
            usedBytes = mark.usedBytes
        }
        pendingWork = 0
        ownedLists = mark.lists
        ownedMaps = mark.maps
    }

    /// Lists and maps at or above these handles were built since the last reset (by this
    /// evaluation); older ones (the bound input) are never modified.
    private var ownedLists: Int {
        get { Int(ownedListHandles) }
        set { ownedListHandles = UInt32(truncatingIfNeeded: newValue) }
    }
    private var ownedMaps: Int {
        get { Int(ownedMapHandles) }
        set { ownedMapHandles = UInt32(truncatingIfNeeded: newValue) }
    }
    private var ownedListHandles: UInt32 = 0, ownedMapHandles: UInt32 = 0

    /// Element arrays of lists and maps dropped by resets, emptied with their capacity kept
    /// (`Heap+Spares.swift`).
    var spareArrays: [[Value]] = []

    // MARK: Accounting

    /// Fixed per-object overhead charged on top of the payload (headers, index entries).
    static let objectOverhead = WorkPrice.objectBytes

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
        try chargeMemory(amount)
    }

    /// Charges memory alone: room reserved ahead of the writes, whose work is charged as they come.
    @inline(__always)
    mutating func chargeMemory(_ amount: Int) throws(Trap) {
        usedBytes &+= amount
        if usedBytes > memoryLimit { throw Trap.memoryExhausted(limit: memoryLimit) }
    }

    // MARK: Allocation

    // What is stored is consumed (moved in, not retained for the heap and released by the
    // caller): binding makes a string, a list or a map per value of the input.

    public mutating func makeString(_ text: consuming String) throws(Trap) -> Value {
        try charge(text.utf8.count + Self.objectOverhead)
        strings.append(consume text)
        return .string(UInt32(strings.count - 1))
    }

    public mutating func makeBytes(_ data: consuming [UInt8]) throws(Trap) -> Value {
        try charge(data.count + Self.objectOverhead)
        bytes.append(consume data)
        return .bytes(UInt32(bytes.count - 1))
    }

    /// Every object is charged, so a reset's fast path (nothing charged: nothing to drop) holds.
    public mutating func makeObject(_ object: HeapObject) throws(Trap) -> Value {
        try charge(Self.objectOverhead + (object.kind == .optional ? 0 : 16))
        objects.append(object)
        return .object(object.kind, UInt32(objects.count - 1))
    }

    public mutating func makeList(_ elements: consuming [Value]) throws(Trap) -> Value {
        try charge(elements.count * MemoryLayout<Value>.stride + Self.objectOverhead)
        lists.append(consume elements)
        return .list(UInt32(lists.count - 1))
    }

    /// Appends to a list this evaluation owns (a comprehension accumulator). Returns false,
    /// appending nothing, when that could corrupt values: the list is older than the
    /// evaluation (bound input, shared by later runs), or `element` contains the list (a
    /// cycle, which no recursive consumer of values survives). Compiled code never does either.
    mutating func append(_ element: Value, toList handle: UInt32) throws(Trap) -> Bool {
        guard Int(handle) >= ownedLists else { return false }
        switch element {
        case .list, .map: if reaches(element, container: .list(handle)) { return false }
        default: break
        }
        let h = Int(handle), stride = MemoryLayout<Value>.stride
        chargeWork(bytes: stride)
        // Room for several elements at a time, charged as memory when reserved: growing one
        // element at a time (1, 2, 4...) reallocated the accumulator several times per loop.
        if lists[h].count == lists[h].capacity {
            let room = max(8, 2 * lists[h].capacity)
            try chargeMemory((room - lists[h].capacity) * stride)
            lists[h].reserveCapacity(room)
        }
        lists[h].append(element)
        return true
    }

    /// Inserts `key: value` in place into a map this evaluation owns (a `transformMap`
    /// accumulator). Returns nil when inserted, else the error to store instead: a key
    /// already present (as cel-go's `@mapInsert`) or of an unsupported type. A map older
    /// than the evaluation, or a value containing the map (a cycle), is refused the same
    /// way; compiled code never does either.
    mutating func insert(_ key: Value, _ value: Value, intoMap handle: UInt32) throws(Trap) -> Value? {
        let h = Int(handle)
        guard h >= ownedMaps else { return makeError("invalid map insert") }
        switch key {
        case .bool, .int, .uint, .string: break
        default: return makeError("unsupported key type: \(key.typeKind.name)")
        }
        if lookup(key, inMap: handle) != nil {
            return makeError("insert failed: key \(Printer.describe(key, in: self)) already exists")
        }
        switch value {
        case .list, .map: if reaches(value, container: .map(handle)) { return makeError("invalid map insert") }
        default: break
        }
        try charge(3 * MemoryLayout<Value>.stride)
        let mapKey = MapKey.of(key, in: self)
        maps[h].keys.append(key)
        maps[h].values.append(value)
        let count = maps[h].values.count
        if maps[h].index != nil {
            maps[h].index?[mapKey] = count - 1
        } else if count > MapObject.indexThreshold {
            // Crossing the threshold: index every key, as `makeMap` would have.
            var index: [MapKey: Int] = [:]
            for (position, existing) in maps[h].keys.enumerated() { index[MapKey.of(existing, in: self)] = position }
            chargeWork(elements: count)
            maps[h].index = index
        }
        return nil
    }

    /// Whether the list or map `target` is reachable from `value`. Only lists and maps built
    /// by this evaluation need visiting: older ones cannot be modified, so they cannot
    /// contain newer ones.
    private mutating func reaches(_ value: Value, container target: Value) -> Bool {
        // The common case, an element of the input, needs no walk (and no sets).
        switch value {
        case .list(let h) where Int(h) < ownedLists: return false
        case .map(let h) where Int(h) < ownedMaps: return false
        default: break
        }
        var pending = [value], seenLists = Set<Int>(), seenMaps = Set<Int>()
        while let next = pending.popLast() {
            switch next {
            case .list(let h):
                if case .list(let t) = target, t == h { return true }
                let h = Int(h)
                guard h >= ownedLists, seenLists.insert(h).inserted else { continue }
                chargeWork(elements: lists[h].count)
                pending.append(contentsOf: lists[h])
            case .map(let h):
                if case .map(let t) = target, t == h { return true }
                let h = Int(h)
                guard h >= ownedMaps, seenMaps.insert(h).inserted else { continue }
                chargeWork(elements: maps[h].count)
                pending.append(contentsOf: map(UInt32(h)).values)
            default: continue
            }
        }
        return false
    }

    /// Builds a map from keys and values; a repeated key is a CEL error.
    public mutating func makeMap(keys: consuming [Value], values: consuming [Value]) throws(Trap) -> Value {
        for (key, value) in zip(keys, values) {
            if key.isError { return key }
            if value.isError { return value }
            switch key {
            case .bool, .int, .uint, .string: break
            default: return makeError("unsupported key type: \(key.typeKind.name)")
            }
        }
        return try storeMap(keys: consume keys, values: consume values)
    }

    /// Stores a map whose keys are valid: checks the keys from `uniqueFrom` on for repeats
    /// (those before it are known to be unique and distinct from the rest: a laid-out map's
    /// declared fields) and, above `MapObject.indexThreshold` such keys, builds the hash
    /// index over all of them. A repeated key is a CEL error.
    mutating func storeMap(keys: consuming [Value], values: consuming [Value], uniqueFrom checked: Int = 0, layout: Int32 = -1,
                           present: UInt64 = 0) throws(Trap) -> Value {
        var index: [MapKey: Int]? = nil
        if keys.count - checked > MapObject.indexThreshold {
            var built: [MapKey: Int] = [:]
            built.reserveCapacity(keys.count)
            for (position, key) in keys.enumerated() {
                let mapKey = MapKey.of(key, in: self)
                if built[mapKey] != nil { return repeatedKey(key) }
                built[mapKey] = position
            }
            index = built
        } else if keys.count - checked > 1 {
            for i in (checked + 1)..<keys.count {
                for j in checked..<i where Self.sameKey(keys[i], keys[j], in: self) { return repeatedKey(keys[i]) }
            }
        }
        try charge(keys.count * 3 * MemoryLayout<Value>.stride + Self.objectOverhead)
        if layout < 0 {
            maps.append(MapObject(keys: consume keys, values: consume values, index: consume index))
        } else {
            maps.append(MapObject(layout: layout, present: present, keys: consume keys, index: consume index,
                                  valueStart: laidOutValues.count, isComplete: false))
            values.withUnsafeBufferPointer { laidOutValues.append(contentsOf: $0) }
            keepSpare(consume values)  // its elements copied out, its storage can serve another map
        }
        return .map(UInt32(maps.count - 1))
    }

    private mutating func repeatedKey(_ key: Value) -> Value {
        makeError("repeated key in map literal: \(Printer.describe(key, in: self))")
    }

    /// Map-key identity without hashing: strings by bytes, numbers across int, uint
    /// and double by value (`1`, `1u` and `1.0` are the same key).
    @inline(__always)
    static func sameKey(_ a: Value, _ b: Value, in heap: Heap) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y || StringBytes.equal(heap.strings[Int(x)], heap.strings[Int(y)])
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.int, .uint), (.uint, .int), (.uint, .uint), (.int, .double), (.double, .int),
             (.uint, .double), (.double, .uint), (.double, .double):
            return Ordering.compareNumbers(a, b) == .equal
        case (.null, .null): return true
        default: return false
        }
    }

    /// Records a CEL error. Errors are charged too: a loop producing millions of them
    /// must stop at the memory limit rather than grow without bound.
    public mutating func makeError(_ message: String) -> Value {
        usedBytes &+= message.utf8.count + Self.objectOverhead
        errors.append(message)
        errorOrigins.append(Int32(truncatingIfNeeded: pc))
        return .error(UInt32(errors.count - 1))
    }

    // MARK: Access

    @inline(__always) public func string(_ handle: UInt32) -> String { strings[Int(handle)] }
    @inline(__always) public func byteString(_ handle: UInt32) -> [UInt8] { bytes[Int(handle)] }
    @inline(__always) public func list(_ handle: UInt32) -> [Value] { lists[Int(handle)] }
    /// Map `handle` with its keys and values (a laid-out map's copied out of the heap's
    /// shared arrays: `key(at:inMap:)` and `value(at:inMap:)` read them in place).
    public func map(_ handle: UInt32) -> MapObject {
        var map = maps[Int(handle)]
        guard map.layout >= 0 else { return map }
        let start = Int(map.valueStart)
        map.values = Array(laidOutValues[start..<start + map.count])
        if map.isComplete { map.keys = layoutKeys[Int(map.layout)] }
        return map
    }
    @inline(__always) public func errorMessage(_ handle: UInt32) -> String { errors[Int(handle)] }
    @inline(__always) public func object(_ handle: UInt32) -> HeapObject { objects[Int(handle)] }

    /// Looks a key up in a map; nil when absent.
    public func lookup(_ key: Value, inMap handle: UInt32) -> Value? {
        let h = Int(handle)
        if let index = maps[h].index {
            guard let position = index[MapKey.of(key, in: self)] else { return nil }
            return value(at: position, inMap: handle)
        }
        // Borrow the key array in place, as `lookup(field:)` does: copying the map out
        // retained and released its three buffers, a quarter of the `map_index` benchmark.
        let position: Int? = withKeys(ofMap: h) { keys in
            for i in 0..<keys.count where Self.sameKey(keys[i], key, in: self) { return i }
            return nil
        }
        return position.map { value(at: $0, inMap: handle) }
    }

    /// Looks a string key up in a map without building a `Value` for it.
    public func lookup(field: String, inMap handle: UInt32) -> Value? {
        let h = Int(handle)
        if let index = maps[h].index {
            guard let position = index[.string(ExactString(field))] else { return nil }
            return value(at: position, inMap: handle)
        }
        // Borrow the key array in place: copying the map out would retain and release
        // its storage on every field access.
        let position: Int? = withKeys(ofMap: h) { keys in
            var field = field
            return field.withUTF8 { wanted in
                for i in 0..<keys.count {
                    guard case .string(let s) = keys[i] else { continue }
                    if strings[Int(s)].utf8.count == wanted.count,
                       StringBytes.equal(strings[Int(s)], wanted) { return i }
                }
                return nil
            }
        }
        return position.map { value(at: $0, inMap: handle) }
    }
}
