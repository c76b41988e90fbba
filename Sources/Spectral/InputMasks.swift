import SpectralCompiler

/// The places in an input whose values are never shown: JSON pointers (RFC 6901) whose
/// first segment is the variable, `/user/ssn`; a `*` segment stands for every element or
/// member. An explanation hides the value of any clause that reads a masked place, or a
/// place that holds one (reading `user` reads `user.ssn` too).
public struct InputMasks: Sendable {
    /// Each pointer's unescaped segments; nil for a pointer that does not parse, which
    /// masks everything: a mask that cannot be read must not show what it meant to hide.
    private let pointers: [[String]?]

    public init(pointers: [String] = []) {
        self.pointers = pointers.map(Self.segments)
    }

    public var isEmpty: Bool { pointers.isEmpty }

    /// `/a/b~1c/d~0e` → `["a", "b/c", "d~e"]`; nil unless it starts with `/` and every `~`
    /// escapes `0` or `1`.
    public static func segments(_ pointer: String) -> [String]? {
        guard pointer.hasPrefix("/") else { return nil }
        var segments: [String] = []
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var segment = "", escaping = false
            for character in raw {
                if escaping {
                    guard character == "0" || character == "1" else { return nil }
                    segment.append(character == "0" ? "~" : "/")
                    escaping = false
                } else if character == "~" {
                    escaping = true
                } else {
                    segment.append(character)
                }
            }
            guard !escaping else { return nil }
            segments.append(segment)
        }
        return segments
    }

    public func covers(any paths: [InputPath]) -> Bool {
        paths.contains(where: covers)
    }

    /// True when `path` and a masked place overlap: one lies within the other.
    public func covers(_ path: InputPath) -> Bool {
        pointers.contains { pointer in
            guard let pointer else { return true }
            guard let first = pointer.first, first == path.variable else { return false }
            for (segment, masked) in zip(path.segments, pointer.dropFirst()) {
                switch segment {
                case .unknown: return true
                case .anyElement: continue
                case .field(let name): if masked != "*" && masked != name { return false }
                }
            }
            return true
        }
    }
}
