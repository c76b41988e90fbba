import Spectral
import SpectralJSON

/// The input fields of a predicate that are never written anywhere: not to the decision
/// log table, nor any other sink of the log, nor an error message. Each is a JSON pointer
/// (RFC 6901) into the decide request's `input` object, `/user/ssn`, with one extension: a
/// segment `*` stands for every element of an array and every member of an object, so
/// `/txns/*/card` masks the card of each transaction (a literal `*` key is masked too; a
/// mask errs toward hiding).
///
/// The writer applies it to each record before any sink sees the record (`masked(_:)`),
/// and the decide path asks it whether an input error's location is masked
/// (`covers(_:)`), so such an error names the place but not the value.
public struct InputMask: Sendable, Equatable {
    /// What a masked value is replaced by. A placeholder rather than removal: a reader of
    /// the log sees that the field was there, and an input that needed it is not mistaken
    /// for one that lacked it.
    public static let placeholder = "[masked]"
    /// Pointers one predicate may name, and bytes in one: the mask is checked against every
    /// logged input, and a pointer is part of every version's row.
    public static let maxPointers = 64
    public static let maxPointerBytes = 512

    /// The pointers, canonical (as written, validated), sorted, without duplicates.
    public let pointers: [String]
    /// Each pointer's segments, unescaped; `nil` stands for the wildcard `*`.
    private let paths: [[String?]]

    public static let none = InputMask(validated: [])

    /// A mask of `pointers`; each must be a valid pointer (see `segments(of:)`).
    public init(pointers: [String]) throws(InputMaskError) {
        guard pointers.count <= Self.maxPointers else {
            throw InputMaskError("a mask names at most \(Self.maxPointers) pointers, got \(pointers.count)")
        }
        for (index, pointer) in pointers.enumerated() {
            guard pointer.utf8.count <= Self.maxPointerBytes else {
                throw InputMaskError("mask[\(index)]: a pointer has at most \(Self.maxPointerBytes) bytes, got \(pointer.utf8.count)")
            }
            _ = try Self.segments(of: pointer, index: index)
        }
        self.init(validated: pointers)
    }

    /// Pointers made here (the schema's marks, escaped as pointers), beyond `maxPointers`
    /// when a large schema marks many: a mask is never cut short.
    init(unchecked pointers: [String]) { self.init(validated: pointers) }

    private init(validated pointers: [String]) {
        let unique = Array(Set(pointers)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.pointers = unique
        // Every pointer here parsed once already; one that did not would mask everything.
        paths = unique.map { pointer in (try? Self.segments(of: pointer, index: 0)) ?? [] }
    }

    public var isEmpty: Bool { pointers.isEmpty }

    /// Both masks' pointers.
    public func union(_ other: InputMask) -> InputMask {
        other.isEmpty ? self : isEmpty ? other : InputMask(validated: pointers + other.pointers)
    }

    public static func == (a: InputMask, b: InputMask) -> Bool { a.pointers == b.pointers }

    /// A pointer's segments, unescaped (`~1` is `/`, `~0` is `~`), the wildcard as nil.
    /// `index` is the pointer's place in the request, for the message.
    static func segments(of pointer: String, index: Int) throws(InputMaskError) -> [String?] {
        let at = "mask[\(index)]"
        guard !pointer.isEmpty else {
            throw InputMaskError("\(at): the empty pointer would mask the whole input; to log nothing set \"log_sample\": 0")
        }
        guard pointer.hasPrefix("/") else {
            throw InputMaskError("\(at): '\(pointer)' is not a JSON pointer: it must start with '/' (RFC 6901), e.g. \"/user/ssn\"")
        }
        guard !pointer.unicodeScalars.contains("\u{0}") else {
            throw InputMaskError("\(at): the pointer contains the character U+0000")
        }
        var segments: [String?] = []
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if raw == "*" {
                segments.append(nil)
                continue
            }
            var segment = ""
            var escaping = false
            for character in raw {
                if escaping {
                    switch character {
                    case "0": segment.append("~")
                    case "1": segment.append("/")
                    default:
                        throw InputMaskError("\(at): '\(pointer)' has '~\(character)'; in a JSON pointer '~' is written '~0' and '/' '~1'")
                    }
                    escaping = false
                } else if character == "~" {
                    escaping = true
                } else {
                    segment.append(character)
                }
            }
            guard !escaping else {
                throw InputMaskError("\(at): '\(pointer)' ends in a lone '~'; in a JSON pointer '~' is written '~0' and '/' '~1'")
            }
            segments.append(segment)
        }
        return segments
    }

    /// The input's JSON text with every masked value replaced by `placeholder`. The input
    /// was checked to be a JSON object when it was decided; text that does not parse (it
    /// cannot be told which parts are masked) gives `{}`: a mask fails closed.
    public func masked(_ inputJSON: String) -> String {
        guard !isEmpty else { return inputJSON }
        guard let input = try? JSONValue.parse(Array(inputJSON.utf8), limits: Self.parsing), case .object = input else {
            return "{}"
        }
        var result = input
        for path in paths { result = Self.masking(result, path[...]) }
        return result.serialized()
    }

    /// Generous: the decide path has already held the input to the server's own limits.
    static let parsing = JSONLimits(maxDepth: 1024, maxBytes: 1 << 30, maxStringBytes: 1 << 30)

    /// `value` with what `path` reaches in it replaced; recursion is as deep as the path.
    private static func masking(_ value: JSONValue, _ path: ArraySlice<String?>) -> JSONValue {
        guard let head = path.first else { return .string(placeholder) }
        let rest = path.dropFirst()
        switch value {
        case .object(let members):
            // Every member of the name, duplicates included: the text keeps them all.
            return .object(members.map { key, member in
                head == nil || head == key ? (key, masking(member, rest)) : (key, member)
            })
        case .array(let items):
            guard let head else { return .array(items.map { masking($0, rest) }) }
            guard let index = arrayIndex(head), index < items.count else { return value }
            var items = items
            items[index] = masking(items[index], rest)
            return .array(items)
        default:
            return value
        }
    }

    /// An array index as RFC 6901 writes one: `0`, or digits without a leading zero.
    private static func arrayIndex(_ segment: String) -> Int? {
        guard let first = segment.utf8.first, first != UInt8(ascii: "0") || segment.utf8.count == 1 else { return nil }
        guard segment.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(segment)
    }

    /// Whether the value at `pointer` (a concrete RFC 6901 pointer, as binding errors give
    /// one: `/user/ssn`, `/txns/3/card`) is masked, or lies inside a masked value.
    /// The same places for an explanation (`Explainer.explain(json:masks:)`).
    public var explanationMasks: InputMasks { InputMasks(paths: paths) }

    public func covers(_ pointer: String) -> Bool {
        guard !isEmpty, let concrete = try? Self.segments(of: pointer, index: 0) else { return false }
        return paths.contains { path in
            guard path.count <= concrete.count else { return false }
            return zip(path, concrete).allSatisfy { masked, actual in masked == nil || masked == actual || actual == nil }
        }
    }
}
