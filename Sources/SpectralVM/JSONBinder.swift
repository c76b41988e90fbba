import SpectralJSON
import SpectralTime

/// Binds JSON input straight into an evaluation's heap in one pass over the bytes: no
/// intermediate tree, no Codable. This is what a decide request pays for its input.
public enum JSONBinder {
    public struct BindingError: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// The violations `message` lists, each at its place; empty when the input failed
        /// as a whole (malformed, not an object, too large).
        public var violations: [InputViolation]
        public var description: String { message }

        init(message: String) {
            self.message = message
            violations = []
        }

        init(violations: [InputViolation]) {
            message = violations.map(\.description).joined(separator: "; ")
            self.violations = violations
        }
    }

    /// What binding one input took: the body's bytes (each read once) and the hashed
    /// duplicate checks of members the program does not use (one per member). Both are
    /// linear in the body, which `JSONLimits.maxBytes` bounds.
    public struct Work: Sendable, Equatable {
        public var bytes: Int
        public var unusedKeyProbes: Int
    }

    /// Binds each member of a JSON object to the variable of that name, as the program's
    /// declarations say (`Executable.inputShapes`, its schemas as `Executable.schemaPlan`).
    /// Members the program does not use are validated but not built.
    @discardableResult
    public static func bind(_ bytes: [UInt8], into machine: inout Machine,
                            limits: JSONLimits = JSONLimits()) throws(BindingError) -> Work {
        try bind(bytes, into: &machine, limits: limits, direct: true)
    }

    /// `direct: false` binds the general way only, for the tests and the fuzz target that
    /// compare the two ways.
    @_spi(Testing) @discardableResult
    public static func bind(_ bytes: [UInt8], into machine: inout Machine, limits: JSONLimits = JSONLimits(),
                            direct: Bool) throws(BindingError) -> Work {
        // Inputs declared by schema go the direct way first; one it does not bind (an
        // invalid input, mostly) is bound again below, which finds every problem.
        if direct && !machine.executable.schemaPlan.roots.isEmpty {
            machine.beginBinding()
            if let work = DirectSchemaBinder.bind(bytes, into: &machine, limits: limits) {
                machine.endBinding()
                return work
            }
        }
        let shapes = machine.executable.inputShapes
        var reader = JSONReader(bytes: bytes, limits: limits)
        var probes = 0
        machine.beginBinding()
        do {
            guard case .beginObject = try reader.next() else {
                throw BindingError(message: "input must be a JSON object of variable bindings")
            }
            var path: [PathComponent] = []
            var scratch: [Value] = []
            var bound: UInt64 = 0      // slots seen so far (duplicates are errors)
            var unusedNames = InputKeySet()
            let slots = SlotLookup(machine.executable.module.variables)
            var schemaBinder = SchemaBinder(plan: machine.executable.schemaPlan, fieldNames: machine.fieldNames)
            while true {
                let token = try reader.next()
                guard case .key(let name) = token else { break }
                let first = try reader.next()
                guard let slot = slots.slot(of: name) else {
                    guard unusedNames.insert(name) else { throw BindingError(message: "duplicate input variable '\(name)'") }
                    try skip(&reader, first: first)
                    continue
                }
                if slot < 64 {
                    guard bound & (1 << slot) == 0 else { throw BindingError(message: "duplicate input variable '\(name)'") }
                    bound |= 1 << slot
                }
                path.removeAll(keepingCapacity: true)
                path.append(.key(name))
                let shape = shapes.isEmpty ? .dyn : shapes[name] ?? .dyn
                let value: Value
                if case .schema = shape, let root = schemaBinder.root(of: name) {
                    value = try schemaBinder.read(&reader, first: first, node: root, heap: &machine.heap, path: &path,
                                                  scratch: &scratch)
                } else {
                    value = try readValue(&reader, first: first, shape: shape, heap: &machine.heap, path: &path,
                                          scratch: &scratch)
                }
                machine.bind(slot: slot, to: value)
            }
            // Every violation found, at once (the schema binder stops at its maximum).
            if !schemaBinder.violations.isEmpty {
                throw BindingError(violations: schemaBinder.violations)
            }
            guard case .end = try reader.next() else { throw BindingError(message: "trailing data after input") }
            probes = unusedNames.probes
        } catch let error as BindingError {
            throw error
        } catch let error as JSONError {
            throw BindingError(message: "malformed JSON input: \(error)")
        } catch let error as Trap {
            throw BindingError(message: "input too large: \(error.message)")
        } catch {
            throw BindingError(message: "\(error)")
        }
        machine.endBinding()
        return Work(bytes: bytes.count, unusedKeyProbes: probes)
    }

    /// Consumes one value without building it (the reader still validates it).
    static func skip(_ reader: inout JSONReader, first: JSONToken) throws(JSONError) {
        var depth = 0
        var token = first
        while true {
            switch token {
            case .beginObject, .beginArray: depth += 1
            case .endObject, .endArray: depth -= 1
            default: break
            }
            if depth == 0 { return }
            token = try reader.next()
        }
    }

    /// Where in the input a value sits, kept as a stack and rendered only for errors
    /// (building path strings for every value would cost more than parsing).
    enum PathComponent {
        case key(String)
        case index(Int)
    }

    static func render(_ path: [PathComponent]) -> String {
        var out = ""
        for component in path {
            switch component {
            case .key(let key): out += out.isEmpty ? key : "." + key
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    /// Reads one value whose first token is `first`, building it in the heap. Elements
    /// of lists and maps collect on `scratch` (a stack shared by the whole input), so each
    /// container costs one allocation of its exact size.
    static func readValue(_ reader: inout JSONReader, first: JSONToken, shape: InputShape, heap: inout Heap,
                          path: inout [PathComponent], scratch: inout [Value]) throws -> Value {
        switch (first, shape) {
        case (.null, .dyn): return .null
        // A declared type admits no null (a schema says `[T, "null"]` when it does): a
        // null here would only meet an operator with no overload for it later.
        case (.null, _): throw at(path, "expected \(shape), got null")
        case (.bool(let b), .dyn), (.bool(let b), .bool): return .bool(b)
        case (.number(let n), _): return try number(n, shape: shape, path: path)
        case (.string(let s), .dyn), (.string(let s), .string): return try heap.makeString(s)
        case (.string(let s), .bytes): return try heap.makeBytes(Array(s.utf8))
        case (.string(let s), .timestamp):
            guard let t = try? Timestamp.parse(s) else { throw mismatch(path, "timestamp") }
            return .timestamp(seconds: t.seconds, nanos: t.nanos)
        case (.string(let s), .duration):
            guard let d = try? SpectralTime.Duration.parse(s) else { throw mismatch(path, "duration") }
            return .duration(seconds: d.seconds, nanos: d.nanos)
        case (.beginArray, .dyn), (.beginArray, .list):
            let elementShape: InputShape
            if case .list(let e) = shape { elementShape = e } else { elementShape = .dyn }
            let start = scratch.count
            defer { scratch.removeSubrange(start...) }
            var token = try reader.next()
            while true {
                if case .endArray = token { break }
                path.append(.index(scratch.count - start))
                let element = try readValue(&reader, first: token, shape: elementShape, heap: &heap, path: &path,
                                            scratch: &scratch)
                scratch.append(element)
                path.removeLast()
                token = try reader.next()
            }
            return try heap.makeList(Array(scratch[start...]))
        case (.beginObject, .dyn), (.beginObject, .map):
            let valueShape: InputShape
            if case .map(let v) = shape { valueShape = v } else { valueShape = .dyn }
            // Keys and values alternate on the scratch stack.
            let start = scratch.count
            defer { scratch.removeSubrange(start...) }
            while true {
                let token = try reader.next()
                guard case .key(let key) = token else { break }
                scratch.append(try heap.makeString(key))
                path.append(.key(key))
                let value = try readValue(&reader, first: try reader.next(), shape: valueShape, heap: &heap, path: &path,
                                          scratch: &scratch)
                scratch.append(value)
                path.removeLast()
            }
            let entries = scratch[start...]
            let keys = stride(from: entries.startIndex, to: entries.endIndex, by: 2).map { scratch[$0] }
            let values = stride(from: entries.startIndex + 1, to: entries.endIndex, by: 2).map { scratch[$0] }
            let map = try heap.makeMap(keys: keys, values: values)
            if case .error(let h) = map { throw at(path, heap.errorMessage(h), withoutValue: "not a valid map (a repeated key)") }
            return map
        default:
            throw mismatch(path, "\(shape)")
        }
    }

    private static func number(_ n: JSONNumber, shape: InputShape, path: [PathComponent]) throws(BindingError) -> Value {
        switch shape {
        case .double: return .double(n.doubleValue)
        case .int:
            guard let i = n.int64Value else { throw mismatch(path, "int") }
            return .int(i)
        case .uint:
            guard let u = n.uint64Value else { throw mismatch(path, "uint") }
            return .uint(u)
        case .dyn:
            if n.isInteger {
                if let i = n.int64Value { return .int(i) }
                if let u = n.uint64Value { return .uint(u) }
            }
            return .double(n.doubleValue)
        default:
            throw mismatch(path, "\(shape)")
        }
    }

    private static func mismatch(_ path: [PathComponent], _ expected: String) -> BindingError {
        at(path, "expected \(expected)")
    }

    /// One violation at `path`: its message as it always read (`user.age: expected int`),
    /// and the violation at its pointer for callers that mask values.
    private static func at(_ path: [PathComponent], _ problem: String, withoutValue: String? = nil) -> BindingError {
        var error = BindingError(message: "\(render(path)): \(problem)")
        error.violations = [InputViolation(pointer: SchemaBinder.pointer(path), problem: problem, withoutValue: withoutValue)]
        return error
    }
}
