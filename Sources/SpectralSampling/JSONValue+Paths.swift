import Spectral

/// A step into a JSON value: an object member or an array element.
public enum JSONPathStep: Hashable, Sendable {
    case key(String)
    case index(Int)
}

extension JSONValue {
    /// Paths to every scalar and every array, depth first.
    func leafPaths(prefix: [JSONPathStep] = []) -> [[JSONPathStep]] {
        switch self {
        case .object(let members):
            return members.flatMap { $0.1.leafPaths(prefix: prefix + [.key($0.0)]) }
        case .array(let items):
            return [prefix] + items.indices.flatMap { items[$0].leafPaths(prefix: prefix + [.index($0)]) }
        default:
            return prefix.isEmpty ? [] : [prefix]
        }
    }

    func value(at path: ArraySlice<JSONPathStep>) -> JSONValue? {
        guard let step = path.first else { return self }
        switch (self, step) {
        case (.object, .key(let key)): return self[key]?.value(at: path.dropFirst())
        case (.array(let items), .index(let index)) where items.indices.contains(index): return items[index].value(at: path.dropFirst())
        default: return nil
        }
    }

    public func value(at path: [JSONPathStep]) -> JSONValue? { value(at: path[...]) }

    public func replacing(at path: [JSONPathStep], with replacement: JSONValue) -> JSONValue {
        replacing(at: path[...], with: replacement)
    }

    private func replacing(at path: ArraySlice<JSONPathStep>, with replacement: JSONValue) -> JSONValue {
        guard let step = path.first else { return replacement }
        switch (self, step) {
        case (.object(let members), .key(let key)):
            return .object(members.map { $0.0 == key ? ($0.0, $0.1.replacing(at: path.dropFirst(), with: replacement)) : $0 })
        case (.array(var items), .index(let index)) where items.indices.contains(index):
            items[index] = items[index].replacing(at: path.dropFirst(), with: replacement)
            return .array(items)
        default:
            return self
        }
    }
}
