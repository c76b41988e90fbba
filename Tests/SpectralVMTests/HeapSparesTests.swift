@testable import SpectralVM
import Testing

/// The element storage of lists and maps a reset drops is kept, emptied, for the next
/// evaluation's (`Heap+Spares.swift`): what is charged and what values hold never depend
/// on it, and what is kept is bounded.
@Suite struct HeapSparesTests {
    /// Makes what binding a small input makes: a list of two maps.
    static func makeInput(_ heap: inout Heap, _ base: Int64) throws -> Value {
        var maps: [Value] = []
        for offset in 0..<2 {
            let values = [Value.int(base + Int64(offset)), .bool(true)].withUnsafeBufferPointer { heap.array(copying: $0) }
            maps.append(try heap.makeMap(keys: [try heap.makeString("a"), try heap.makeString("b")], values: values))
        }
        return try heap.makeList(maps.withUnsafeBufferPointer { heap.array(copying: $0) })
    }

    @Test func aResetKeepsTheStorageAndTheNextInputFillsIt() throws {
        var heap = Heap()
        let start = heap.mark
        let first = try Self.makeInput(&heap, 1)
        let charged = heap.usedBytes
        #expect(heap.spareArrays.isEmpty)
        heap.reset(to: start)
        #expect(heap.spareArrays.count == 3, "two maps' values and the list's elements")
        #expect(heap.spareArrays.allSatisfy { $0.isEmpty })
        let second = try Self.makeInput(&heap, 10)
        #expect(heap.spareArrays.isEmpty, "every one taken again")
        #expect(heap.usedBytes == charged, "charged as before")
        guard case .list(let list) = second, case .list(let earlier) = first, list == earlier, case .map(let map) = heap.list(list)[1] else {
            Issue.record("not the same handle, a list of maps"); return
        }
        #expect(heap.map(map).values.count == 2)
        #expect(heap.lookup(field: "a", inMap: map).map { if case .int(11) = $0 { true } else { false } } == true)
    }

    @Test func largeArraysAreFreedAndTheCountIsBounded() throws {
        var heap = Heap()
        let start = heap.mark
        _ = try heap.makeList(Array(repeating: .int(0), count: Heap.maxSpareCapacity + 1))
        heap.reset(to: start)
        #expect(heap.spareArrays.isEmpty, "too large to keep")
        for _ in 0..<(Heap.maxSpares + 10) { _ = try heap.makeList([.int(1)]) }
        heap.reset(to: start)
        #expect(heap.spareArrays.count == Heap.maxSpares)
    }
}
