/// Splits all Unicode scalars into classes that no NFA state can tell apart, and gives
/// each class the bitmask of states that consume it.
///
/// The matchers then look up one mask per input scalar instead of testing every state's
/// `CharacterClass`: ASCII through a 128-entry table, anything else by binary search
/// over the (few) boundaries where some state's class starts or stops. Class ids are
/// dense and small, which is what `SetDFA` needs for its transition table.
///
/// When assertions look at neighbouring scalars (`\b`, multi-line `^`/`$`), classes
/// are also split by `traits` (newline? word character?), so the DFA can derive a
/// position's context from class ids alone.
struct ScalarPartition: Sendable {
    static let newlineTrait: UInt8 = 1
    static let wordTrait: UInt8 = 2

    /// Class id of each ASCII scalar.
    private let asciiClass: [UInt16]
    /// Sorted starts of the non-ASCII intervals; the first is always 0x80.
    private let lowerBounds: [UInt32]
    /// Class id of each interval in `lowerBounds`.
    private let intervalClass: [UInt16]
    /// Bitmask of consuming states, per class id.
    let masks: [UInt64]
    /// `newlineTrait`/`wordTrait` of the scalars in each class (all zero unless asked for).
    let traits: [UInt8]

    var classCount: Int { masks.count }

    /// Heap bytes held by the tables (array headers counted at 32 bytes each).
    var residentBytes: Int {
        asciiClass.count * 2 + lowerBounds.count * 4 + intervalClass.count * 2 + masks.count * 8 + traits.count + 5 * 32
    }

    /// `stateClasses[i]` is what state bit i consumes (empty for `match`). Nil when
    /// there would be more than `UInt16.max` classes.
    init?(stateClasses: [CharacterClass], splitByTraits: Bool) {
        struct Key: Hashable {
            var mask: UInt64
            var traits: UInt8
        }
        var ids: [Key: UInt16] = [:]
        var masks: [UInt64] = []
        var traits: [UInt8] = []
        func id(of scalar: UInt32) -> UInt16? {
            var key = Key(mask: 0, traits: 0)
            for (bit, cls) in stateClasses.enumerated() where cls.contains(scalar) { key.mask |= 1 << UInt64(bit) }
            if splitByTraits {
                if scalar == 0x0A { key.traits |= Self.newlineTrait }
                if UnicodeClasses.isWordScalar(scalar) { key.traits |= Self.wordTrait }
            }
            // Few classes (the usual case): a linear scan beats hashing. Many: hash.
            if masks.count <= 32 {
                for i in masks.indices where masks[i] == key.mask && traits[i] == key.traits { return UInt16(i) }
            } else {
                if ids.isEmpty {
                    for i in masks.indices { ids[Key(mask: masks[i], traits: traits[i])] = UInt16(i) }
                }
                if let known = ids[key] { return known }
            }
            guard masks.count < Int(UInt16.max) else { return nil }
            let new = UInt16(masks.count)
            if !ids.isEmpty { ids[key] = new }
            masks.append(key.mask)
            traits.append(key.traits)
            return new
        }
        // Class 0 is "no state consumes this, no traits"; it also covers `UTF8Decoding.none`.
        _ = id(of: UTF8Decoding.none)

        var ascii: [UInt16] = []
        for scalar in UInt32(0)..<128 {
            guard let classID = id(of: scalar) else { return nil }
            ascii.append(classID)
        }

        var starts: Set<UInt32> = [0x80]
        for cls in stateClasses {
            for range in cls.ranges where range.upperBound >= 0x80 {
                starts.insert(max(range.lowerBound, 0x80))
                if range.upperBound < CharacterClass.maxScalar { starts.insert(range.upperBound + 1) }
            }
        }
        let bounds = starts.sorted()
        var intervals: [UInt16] = []
        intervals.reserveCapacity(bounds.count)
        // Every scalar in an interval is in exactly the same classes as its first one.
        for start in bounds {
            guard let classID = id(of: start) else { return nil }
            intervals.append(classID)
        }
        asciiClass = ascii
        lowerBounds = bounds
        intervalClass = intervals
        self.masks = masks
        self.traits = traits
    }

    @inline(__always)
    func classID(of scalar: UInt32) -> Int {
        if scalar < 0x80 { return Int(asciiClass.withUnsafeBufferPointer { $0[Int(scalar)] }) }
        return nonASCIIClassID(of: scalar)
    }

    /// For loops that look up ASCII classes themselves, with the table pointer hoisted.
    @inline(__always)
    func withASCIIClasses<R>(_ body: (UnsafeBufferPointer<UInt16>) -> R) -> R {
        asciiClass.withUnsafeBufferPointer(body)
    }

    func nonASCIIClassID(of scalar: UInt32) -> Int {
        if scalar > CharacterClass.maxScalar { return 0 }
        // The last interval whose start is <= scalar (the first start is 0x80).
        var lo = 0
        var hi = lowerBounds.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if lowerBounds[mid] <= scalar { lo = mid } else { hi = mid }
        }
        return Int(intervalClass[lo])
    }

    @inline(__always)
    func mask(of scalar: UInt32) -> UInt64 {
        masks.withUnsafeBufferPointer { $0[classID(of: scalar)] }
    }
}
