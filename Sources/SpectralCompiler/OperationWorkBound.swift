import SpectralBytecode
import SpectralSyntax

/// The most fuel an instruction can charge at run time beyond its `CostTable` price: the
/// VM charges comparisons, membership, concatenation and what it allocates by their
/// size (`Heap.charge`, `Heap.chargeWork`: a unit per 16 bytes or per element). Nil when
/// that depends on sizes the compiler does not know; the static bound is then unknown.
///
/// The figures mirror the VM's charges (`Operators`, `Equality`, `Arithmetic`, `Heap`);
/// `ConformanceTests.noEvaluationUsesMoreFuelThanItsStaticBound` holds them to the fuel
/// the conformance corpus really uses, `StaticBoundTests` and `SchemaCostBoundTests` to
/// maximal inputs, and the fuzzers to whatever they generate.
struct OperationWorkBound {
    let extent: ValueExtent

    /// A value's share of an aggregate's storage, and an object's fixed overhead, in bytes
    /// (`MemoryLayout<Value>.stride`, `Heap.objectOverhead`).
    static let valueBytes: UInt64 = 16, objectBytes = UInt64(WorkPrice.objectBytes)

    /// Units `Heap.charge` takes for `bytes` of memory.
    static func allocation(_ bytes: UInt64) -> UInt64 { bytes / 16 }

    /// The work of binary operator `opcode` on `lhs` and `rhs`.
    func work(of opcode: Opcode, _ lhs: Expr, _ rhs: Expr) -> UInt64? {
        switch opcode {
        case .eq, .ne, .eqString, .eqInt, .eqDouble: return equality(lhs, rhs)
        case .lt, .le, .gt, .ge, .ltInt, .leInt, .gtInt, .geInt, .ltDouble, .leDouble, .gtDouble, .geDouble:
            return ordering(lhs, rhs)
        case .in: return membership(lhs, rhs)
        case .add, .addInt, .addDouble: return addition(lhs, rhs)
        case .index: return selection(from: lhs)
        default: return 0   // the other arithmetic: numbers, times and errors, none charged
        }
    }

    /// `a == b` and `a != b`: the comparison's work beyond its first unit.
    func equality(_ a: Expr, _ b: Expr) -> UInt64? {
        Self.smaller(extent.comparisonWork(of: a), extent.comparisonWork(of: b)).map { $0 - 1 }
    }

    /// `a < b` and the other orderings: strings and bytes by the shorter one's bytes.
    func ordering(_ a: Expr, _ b: Expr) -> UInt64? {
        let (x, y) = (extent.checked.types[a.id] ?? .dyn, extent.checked.types[b.id] ?? .dyn)
        let mayBeText = (Self.mayBe(x, .string) && Self.mayBe(y, .string)) || (Self.mayBe(x, .bytes) && Self.mayBe(y, .bytes))
        guard mayBeText else { return 0 }
        return Self.smaller(extent.bytes(of: a), extent.bytes(of: b)).map { $0 / 16 }
    }

    /// The smaller of two bounds where both are known, else the known one: what bounds
    /// work that stops at the smaller operand.
    private static func smaller(_ a: UInt64?, _ b: UInt64?) -> UInt64? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    /// `element in collection`: a list is compared element by element (a unit each and
    /// the comparison's work); a map's key lookup is not charged.
    func membership(_ element: Expr, _ collection: Expr) -> UInt64? {
        switch extent.checked.types[collection.id] {
        case .map?, .object?: return 0
        default: break
        }
        let elementWork = extent.comparisonWork(of: element)
        if case .list(let items) = collection.kind {
            return items.total { Self.smaller(elementWork, extent.comparisonWork(of: $0)) }
        }
        guard let count = extent.entries(of: collection), let work = elementWork else { return nil }
        return Saturating.multiply(count, work)
    }

    /// `a + b`: numbers cost nothing more; strings and bytes make a new one of both
    /// lengths; lists pay `WorkPrice.listConcatenation` and make a new list of both.
    func addition(_ a: Expr, _ b: Expr) -> UInt64? {
        guard extent.mayBeSized(a) && extent.mayBeSized(b) else { return 0 }
        var worst: UInt64 = 0
        let type = extent.checked.types[a.id] ?? .dyn
        if Self.mayBe(type, .string) || Self.mayBe(type, .bytes) {
            guard let x = extent.bytes(of: a), let y = extent.bytes(of: b) else { return nil }
            worst = max(worst, Self.allocation(Saturating.add(Saturating.add(x, y), Self.objectBytes)))
        }
        if Self.mayBe(type, .list(.dyn)) {
            guard let x = extent.entries(of: a), let y = extent.entries(of: b) else { return nil }
            worst = max(worst, Saturating.add(UInt64(WorkPrice.listConcatenation), list(of: Saturating.add(x, y))))
        }
        return worst
    }

    /// Building a list of `count` elements (`Heap.makeList`).
    func list(of count: UInt64) -> UInt64 {
        Self.allocation(Saturating.add(Saturating.multiply(count, Self.valueBytes), Self.objectBytes))
    }

    /// Building a map of `count` entries (`Heap.storeMap`: a key, a value and an index
    /// entry each).
    func map(of count: UInt64) -> UInt64 {
        Self.allocation(Saturating.add(Saturating.multiply(count, 3 * Self.valueBytes), Self.objectBytes))
    }

    /// Appending `element` to a comprehension's list: a value's bytes, and for a list or
    /// map the evaluation built, the walk that proves it does not contain the accumulator
    /// (at most a unit per value in it). Parts of the input are not walked.
    func append(_ element: Expr) -> UInt64? {
        let written = Self.allocation(Self.valueBytes)
        guard extent.mayBeAggregate(element) && !extent.isInputPart(element) else { return written }
        return extent.comparisonWork(of: element).map { Saturating.add(written, $0) }
    }

    /// Inserting `value` into a comprehension's map: an entry's bytes, indexing every key
    /// once when the map outgrows a scan (`MapObject.indexThreshold`), and the same walk
    /// as `append`.
    func insert(_ value: Expr) -> UInt64? {
        let written = Saturating.add(Self.allocation(3 * Self.valueBytes), UInt64(WorkPrice.mapIndexThreshold) + 1)
        guard extent.mayBeAggregate(value) && !extent.isInputPart(value) else { return written }
        return extent.comparisonWork(of: value).map { Saturating.add(written, $0) }
    }

    /// `a.f` and `a[k]` on an optional make the optional result; on anything else they
    /// charge nothing.
    func selection(from operand: Expr) -> UInt64 {
        switch extent.checked.types[operand.id] ?? .dyn {
        case .abstract("optional_type", _), .dyn, .param, .error: return Self.allocation(Self.objectBytes)
        default: return 0
        }
    }

    /// Whether values of `type` can be of `kind`'s kind (`dyn` can be anything).
    static func mayBe(_ type: CELType, _ kind: CELType) -> Bool {
        switch (type, kind) {
        case (.dyn, _), (.param, _), (.error, _): return true
        case (.nullable(let inner), _): return mayBe(inner, kind)
        case (.string, .string), (.bytes, .bytes), (.list, .list), (.map, .map): return true
        default: return false
        }
    }
}
