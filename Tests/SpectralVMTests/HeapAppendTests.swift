@testable import SpectralVM
import Testing

/// In-place appends to a comprehension's accumulator (`Heap.append(_:toList:)`): the room
/// reserved ahead is charged as memory when reserved, the work stays one unit an element,
/// and the lists that could corrupt values are refused, the input's without a walk.
@Suite struct HeapAppendTests {
    /// A heap holding `input`, a list made before the evaluation (as bound input is), and
    /// `accumulator`, an empty list the evaluation owns.
    static func heapWithInput() throws -> (heap: Heap, input: Value, accumulator: Value) {
        var heap = Heap()
        let map = try heap.makeMap(keys: [try heap.makeString("k")], values: [.int(1)])
        let input = try heap.makeList([map, .int(2)])
        _ = heap.takeWork()         // nothing pending: the reset takes its fast path
        heap.reset(to: heap.mark)   // what the machine does before each run: older objects are the input's
        let accumulator = try heap.makeList([])
        return (heap, input, accumulator)
    }

    @Test func roomIsChargedAsMemoryWhenReservedAndWorkAnElement() throws {
        var (heap, _, accumulator) = try Self.heapWithInput()
        guard case .list(let handle) = accumulator else { Issue.record("not a list"); return }
        let stride = MemoryLayout<Value>.stride
        let before = heap.usedBytes
        _ = heap.takeWork()
        #expect(try heap.append(.int(1), toList: handle))
        let afterFirst = heap.usedBytes
        #expect(afterFirst - before >= 8 * stride, "the first append reserves room for eight")
        for i in 2...8 { #expect(try heap.append(.int(Int64(i)), toList: handle)) }
        #expect(heap.usedBytes == afterFirst, "appends into reserved room charge no memory")
        #expect(heap.takeWork() == 8 * (stride >> 4), "work stays one unit a written element")
        #expect(heap.list(handle).map { if case .int(let x) = $0 { x } else { -1 } } == Array(Int64(1)...8))
        for i in 9...40 { #expect(try heap.append(.int(Int64(i)), toList: handle)) }
        #expect(heap.usedBytes - before >= 40 * stride, "memory charged covers every element held")
        #expect(heap.usedBytes - before <= 2 * 40 * stride + 8 * stride, "and at most twice that, growth doubling")
    }

    @Test func aFullLimitRefusesTheRoomAsItWouldTheElements() throws {
        var heap = Heap(memoryLimit: 4 * 1024)
        let list = try heap.makeList([])
        guard case .list(let handle) = list else { Issue.record("not a list"); return }
        #expect(throws: Trap.memoryExhausted(limit: 4 * 1024)) {
            for i in 0..<1_000 { _ = try heap.append(.int(Int64(i)), toList: handle) }
        }
    }

    @Test func inputListsAndCyclesAreRefused() throws {
        var (heap, input, accumulator) = try Self.heapWithInput()
        guard case .list(let inputHandle) = input, case .list(let handle) = accumulator else { Issue.record("not lists"); return }
        #expect(try heap.append(input, toList: handle), "an input list may be an element")
        #expect(try heap.append(heap.list(inputHandle)[0], toList: handle), "an input map may be an element")
        #expect(try !heap.append(.int(1), toList: inputHandle), "the input is never modified")
        #expect(try !heap.append(accumulator, toList: handle), "a list may not contain itself")
        let outer = try heap.makeList([accumulator])
        #expect(try !heap.append(outer, toList: handle), "nor a list that contains it")
    }
}
