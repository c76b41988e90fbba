import SpectralBytecode
import SpectralJSON
import SpectralTime

/// The binder's fast path for a program whose inputs are declared by JSON Schema: it
/// walks the schema plan and the bytes together (`JSONCursor`), so a key is matched
/// against the declared names in place, a number is read as its declared type straight
/// from its digits, and no token, key string or path is built.
///
/// It never reports a problem. An input it cannot bind this way, whether malformed,
/// breaking its schema, too large, or merely unusual (an escape in a key, a string longer
/// than `maxLength` in bytes but perhaps not in characters), is a miss, and `JSONBinder`
/// binds it again the general way, which finds and words every problem. What it binds, it
/// binds as the general binder does (`DirectSchemaBinderTests` compares the two).
struct DirectSchemaBinder {
    private typealias Miss = JSONCursor.Miss

    private var cursor: JSONCursor
    /// The same bytes as an array, for `JSONReader` where a value is bound generically.
    private let input: [UInt8]
    private let nodes: UnsafeBufferPointer<SchemaPlan.Node>
    private let fields: UnsafeBufferPointer<SchemaPlan.Field>
    private let nameSpans: UnsafeBufferPointer<SchemaPlan.NameSpan>
    private let nameBytes: UnsafeBufferPointer<UInt8>
    private let values: [[Constant]]
    /// Each declared field's name in the heap (`Machine.fieldNames`).
    private let fieldNames: [Value]
    /// Elements and members being collected: a stack shared by the whole input, `top` its
    /// height (slots above it are stale, overwritten rather than removed). It is the
    /// machine's, so its capacity stays from one input to the next.
    private let stack: BindingStack
    private var top = 0
    /// Guesses at the next key of an object, so that it is matched by one comparison in
    /// place rather than scanned and looked up: `hints[f]` is the field (index within its
    /// object) that followed plan field `f` last time, `hints[fields.count + n]` the field
    /// an object of node `n` began with; -1 when none is known yet. Objects of one shape
    /// list their keys in one order, whatever order the schema sorts them in. The
    /// machine's, so that one input's order serves the next.
    private var hints: [Int8] = []

    /// Binds `bytes` into `machine` (whose binding has begun), or nil on a miss, with
    /// the heap and variables left for `beginBinding()` to reset.
    static func bind(_ bytes: [UInt8], into machine: inout Machine, limits: JSONLimits) -> JSONBinder.Work? {
        let plan = machine.executable.schemaPlan
        return bytes.withUnsafeBufferPointer { buffer in
            plan.nodes.withUnsafeBufferPointer { nodes in
                plan.fields.withUnsafeBufferPointer { fields in
                    plan.nameSpans.withUnsafeBufferPointer { nameSpans in
                        plan.nameBytes.withUnsafeBufferPointer { nameBytes in
                            var binder = DirectSchemaBinder(
                                cursor: JSONCursor(bytes: buffer, limits: limits), input: bytes, nodes: nodes,
                                fields: fields, nameSpans: nameSpans, nameBytes: nameBytes, values: plan.values,
                                fieldNames: machine.fieldNames,
                                stack: machine.takeBindingStack())
                            return try? binder.bindVariables(into: &machine, slotRoots: plan.slotRoots)
                        }
                    }
                }
            }
        }
    }

    private mutating func bindVariables(into machine: inout Machine, slotRoots: [Int32]) throws(Miss) -> JSONBinder.Work {
        guard input.count <= cursor.limits.maxBytes, cursor.peek() == UInt8(ascii: "{") else { throw Miss() }
        swap(&hints, &machine.bindingHints)
        defer { swap(&hints, &machine.bindingHints) }
        if hints.isEmpty { hints = [Int8](repeating: -1, count: fields.count + nodes.count) }
        try cursor.enter()
        let variables = machine.executable.module.variables
        let shapes = machine.executable.slotShapes
        let lookup = variables.count > SlotLookup.scanLimit ? SlotLookup(variables) : nil
        var bound: UInt64 = 0  // slots seen so far (a repeated one is the general binder's error)
        var unusedNames = InputKeySet()
        if cursor.peek() == UInt8(ascii: "}") {
            cursor.leave()
        } else {
            repeat {
                let key = try cursor.key()
                let slot: Int?
                if let lookup {
                    slot = lookup.slot(of: String(decoding: key, as: UTF8.self))
                } else {
                    slot = variables.firstIndex { Self.matches($0, key) }
                }
                guard let slot else {
                    guard unusedNames.insert(String(decoding: key, as: UTF8.self)) else { throw Miss() }
                    try skipValue()
                    continue
                }
                if slot < 64 {
                    guard bound & (1 << slot) == 0 else { throw Miss() }
                    bound |= 1 << slot
                }
                let root = slotRoots[slot]
                let value = root >= 0 ? try read(node: root, heap: &machine.heap)
                                      : try generic(shape: shapes[slot], heap: &machine.heap)
                machine.bind(slot: slot, to: value)
            } while try cursor.next(orClose: UInt8(ascii: "}"))
        }
        guard cursor.atEnd() else { throw Miss() }
        return JSONBinder.Work(bytes: input.count, unusedKeyProbes: unusedNames.probes)
    }

    // MARK: Values by schema

    /// The value at the cursor as plan node `index` says, as `SchemaBinder.read` binds a valid one.
    private mutating func read(node index: Int32, heap: inout Heap) throws(Miss) -> Value {
        // By pointer: a node is a hundred bytes, which a copy per value would move.
        let node = nodes.baseAddress.unsafelyUnwrapped + Int(index)
        guard let first = cursor.peek() else { throw Miss() }
        switch first {
        case UInt8(ascii: "{"):
            guard node.pointee.kind == .object else { return try anyContainer(node, heap: &heap) }
            return try object(node, index: index, heap: &heap)
        case UInt8(ascii: "["):
            guard node.pointee.kind == .array else { return try anyContainer(node, heap: &heap) }
            return try array(node, heap: &heap)
        case UInt8(ascii: "\""):
            let bytes = try cursor.string()
            switch node.pointee.kind {
            case .string, .any:
                // The length in characters is only needed when the bytes are over the limit.
                if let limit = node.pointee.maxLength, UInt64(bytes.count) > limit { throw Miss() }
                let text = String(decoding: bytes, as: UTF8.self)
                if let format = node.pointee.format, !format.admits(text) { throw Miss() }
                // Tested first: making a string's constant copies the string.
                if node.pointee.values >= 0 { try accept(.string(text), node) }
                do { return try heap.makeString(text) } catch { throw Miss() }
            case .timestamp:
                guard let t = try? Timestamp.parse(String(decoding: bytes, as: UTF8.self)) else { throw Miss() }
                return .timestamp(seconds: t.seconds, nanos: t.nanos)
            default:
                throw Miss()
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard node.pointee.kind == .boolean || node.pointee.kind == .any else { throw Miss() }
            let b = first == UInt8(ascii: "t")
            try cursor.literal(b ? "true" : "false")
            try accept(.bool(b), node)
            return .bool(b)
        case UInt8(ascii: "n"):
            guard node.pointee.nullable || node.pointee.kind == .null || node.pointee.kind == .any else { throw Miss() }
            try cursor.literal("null")
            try accept(.null, node)
            return .null
        default:
            let number = try cursor.number()
            switch node.pointee.kind {
            case .integer:
                guard let i = number.int64 else { throw Miss() }
                try within(Double(i), node)
                try accept(.int(i), node)
                return .int(i)
            case .number:
                let d = cursor.double(number)
                try within(d, node)
                try accept(.double(d), node)
                return .double(d)
            case .any:
                if let i = number.int64 { try accept(.int(i), node); return .int(i) }
                if let u = number.uint64 { try accept(.uint(u), node); return .uint(u) }
                let d = cursor.double(number)
                try accept(.double(d), node)
                return .double(d)
            default:
                throw Miss()
            }
        }
    }

    private mutating func array(_ node: UnsafePointer<SchemaPlan.Node>, heap: inout Heap) throws(Miss) -> Value {
        try cursor.enter()
        let start = top
        defer { top = start }
        if cursor.peek() == UInt8(ascii: "]") {
            cursor.leave()
        } else {
            repeat {
                push(try read(node: node.pointee.child, heap: &heap))
            } while try cursor.next(orClose: UInt8(ascii: "]"))
        }
        if let limit = node.pointee.maxItems, top - start > limit { throw Miss() }
        do { return try heap.makeList(copyOfStack(from: start, to: top, into: &heap)) } catch { throw Miss() }
    }

    /// A laid-out object, as `SchemaBinder.object` binds one: declared fields by index, the
    /// ones present marked in a bit set, then undeclared members as `additionalProperties` says.
    private mutating func object(_ node: UnsafePointer<SchemaPlan.Node>, index nodeIndex: Int32,
                                 heap: inout Heap) throws(Miss) -> Value {
        let fieldStart = Int(node.pointee.fieldStart), fieldCount = Int(node.pointee.fieldCount)
        guard fieldCount <= FieldLayouts.maxFields else { throw Miss() }  // a plain map: the general binder's
        try cursor.enter()
        let start = top
        defer { top = start }
        reserve(fieldCount)
        var present: UInt64 = 0
        var members = 0
        var hint = fields.count + Int(nodeIndex)  // where the guess at the next key is kept
        if cursor.peek() == UInt8(ascii: "}") {
            cursor.leave()
        } else {
            repeat {
                members += 1
                guard cursor.peek() == UInt8(ascii: "\"") else { throw Miss() }
                var found: Int?
                let guess = Int(hints[hint])
                if guess >= 0 && guess < fieldCount && nameSpans[fieldStart + guess].plain,
                   try cursor.take(key: name(of: fieldStart + guess)) {
                    found = guess
                }
                let key = found == nil ? try cursor.key() : UnsafeBufferPointer(start: nil, count: 0)
                if found == nil, let index = field(key, from: fieldStart, count: fieldCount) {
                    hints[hint] = Int8(index)
                    found = index
                }
                if let index = found {
                    let bit: UInt64 = 1 << UInt64(index)
                    guard present & bit == 0 else { throw Miss() }
                    present |= bit
                    let value = try read(node: fields[fieldStart + index].node, heap: &heap)
                    stack.base[start + index] = value
                    hint = fieldStart + index
                    continue
                }
                let value: Value
                switch node.pointee.others {
                case .forbidden: throw Miss()
                case .unread: value = try generic(shape: .dyn, heap: &heap)
                case .allowed: value = try read(node: node.pointee.child, heap: &heap)
                }
                do { push(try heap.makeString(String(decoding: key, as: UTF8.self))) } catch { throw Miss() }
                push(value)
            } while try cursor.next(orClose: UInt8(ascii: "}"))
        }
        guard present & node.pointee.requiredMask == node.pointee.requiredMask else { throw Miss() }
        if let limit = node.pointee.maxProperties, members > limit { throw Miss() }
        // Declared fields present in field order, then the undeclared members (key, value pairs).
        let others = start + fieldCount
        let layout = node.pointee.layout
        if top == others && layout >= 0 && present == FieldLayouts.everyField(of: fieldCount) {
            // Every field and nothing else, the usual case: a complete map, its values copied whole.
            let map: Value
            do {
                map = try heap.makeCompleteMap(of: layout, values: UnsafeBufferPointer(start: stack.base + start, count: fieldCount))
            } catch { throw Miss() }
            return map
        }
        var keys: [Value] = []
        keys.reserveCapacity(present.nonzeroBitCount + (top - others) / 2)
        var values = heap.emptyArray(reserving: keys.capacity)
        var remaining = present
        while remaining != 0 {
            keys.append(fieldNames[fieldStart + remaining.trailingZeroBitCount])
            values.append(stack.base[start + remaining.trailingZeroBitCount])
            remaining &= remaining &- 1
        }
        for position in stride(from: others, to: top, by: 2) {
            keys.append(stack.base[position])
            values.append(stack.base[position + 1])
        }
        let map: Value
        do { map = try heap.makeLaidOutMap(keys: consume keys, values: consume values, layout: layout, present: present) } catch { throw Miss() }
        if case .error = map { throw Miss() }
        return map
    }

    /// An array or object where the schema takes any value: bound as `dyn`, unless the
    /// schema lists the values it takes (none of them is a container).
    private mutating func anyContainer(_ node: UnsafePointer<SchemaPlan.Node>, heap: inout Heap) throws(Miss) -> Value {
        guard node.pointee.kind == .any, node.pointee.values < 0 else { throw Miss() }
        return try generic(shape: .dyn, heap: &heap)
    }

    /// Raises the stack by `count` slots, one for each of an object's declared fields, each
    /// filled when its field is read. Whatever a slot held before is never read: a field's
    /// slot is read only when its bit in `present` says the field was filled.
    @inline(__always)
    private mutating func reserve(_ count: Int) {
        if top + count > stack.capacity { stack.grow(toHold: top + count, keeping: top) }
        top += count
    }

    @inline(__always)
    private mutating func push(_ value: Value) {
        if top == stack.capacity { stack.grow(toHold: top + 1, keeping: top) }
        stack.base[top] = value
        top += 1
    }

    /// The stack's values from `start` up to `end`, in an array of the heap's.
    @inline(__always)
    private func copyOfStack(from start: Int, to end: Int, into heap: inout Heap) -> [Value] {
        heap.array(copying: UnsafeBufferPointer(start: stack.base + start, count: end - start))
    }

    // MARK: Checks

    /// Passes a value the schema's `enum` or `const` admits (any value when it has neither).
    @inline(__always)
    private func accept(_ constant: Constant, _ node: UnsafePointer<SchemaPlan.Node>) throws(Miss) {
        guard node.pointee.values >= 0 else { return }
        guard values[Int(node.pointee.values)].contains(where: { SchemaBinder.same(constant, $0) }) else { throw Miss() }
    }

    @inline(__always)
    private func within(_ number: Double, _ node: UnsafePointer<SchemaPlan.Node>) throws(Miss) {
        if let minimum = node.pointee.minimum, number < minimum { throw Miss() }
        if let maximum = node.pointee.maximum, number > maximum { throw Miss() }
    }

    /// The index of the declared field named `key` among an object's fields: a scan of a
    /// few, or a search by halves (fields are sorted by name).
    @inline(__always)
    private func field(_ key: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> Int? {
        if count <= 8 {
            for index in 0..<count where name(of: start + index, is: key) { return index }
            return nil
        }
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            let order = StringBytes.compare(name(of: start + middle), key)
            if order == 0 { return middle }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    @inline(__always)
    private func name(of field: Int) -> UnsafeBufferPointer<UInt8> {
        let span = nameSpans[field]
        return UnsafeBufferPointer(rebasing: nameBytes[Int(span.start)..<Int(span.start + span.count)])
    }

    @inline(__always)
    private func name(of field: Int, is key: UnsafeBufferPointer<UInt8>) -> Bool {
        let span = nameSpans[field]
        guard Int(span.count) == key.count else { return false }
        return ByteComparison.equal(UnsafeRawBufferPointer(name(of: field)), UnsafeRawBufferPointer(key))
    }

    @inline(__always)
    private static func matches(_ name: String, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        name.utf8.count == key.count && StringBytes.equal(name, key)
    }

    // MARK: Values bound generically

    /// The value at the cursor bound by `JSONBinder.readValue` for `shape` (a variable with
    /// a CEL type, or a container where the schema takes any value), read by a `JSONReader`
    /// over that one value.
    private mutating func generic(shape: InputShape, heap: inout Heap) throws(Miss) -> Value {
        var reader = try valueReader()
        var path: [JSONBinder.PathComponent] = []
        var scratch: [Value] = []
        do {
            let value = try JSONBinder.readValue(&reader, first: try reader.next(), shape: shape, heap: &heap,
                                                 path: &path, scratch: &scratch)
            guard case .end = try reader.next() else { throw Miss() }
            cursor.position = reader.offset
            return value
        } catch {
            throw Miss()
        }
    }

    /// Validates and skips the value at the cursor (a member the program does not use).
    private mutating func skipValue() throws(Miss) {
        var reader = try valueReader()
        do {
            try JSONBinder.skip(&reader, first: try reader.next())
            guard case .end = try reader.next() else { throw Miss() }
        } catch {
            throw Miss()
        }
        cursor.position = reader.offset
    }

    /// A reader of the one value at the cursor, its depth limit what is left of the input's.
    private func valueReader() throws(Miss) -> JSONReader {
        var limits = cursor.limits
        limits.maxDepth -= cursor.depth
        guard limits.maxDepth >= 0 else { throw Miss() }
        return JSONReader(bytes: input, valueAt: cursor.position, limits: limits)
    }
}
