import SpectralCompiler

/// The places in an input whose values an explanation does not show: paths whose first
/// segment is the variable (`user`, `ssn` for the pointer `/user/ssn`), nil standing for
/// every element or member (`*`). Pointers are parsed, and refused when malformed, where the
/// author gives them (`SpectralCatalog.InputMask`); this is their shape for the engine. An
/// explanation hides the value of any clause that reads a masked place, or a place that
/// holds one (reading `user` reads `user.ssn` too).
public struct InputMasks: Sendable {
    private let paths: [[String?]]

    public init(paths: [[String?]] = []) {
        self.paths = paths
    }

    public var isEmpty: Bool { paths.isEmpty }

    public func covers(any reads: [InputPath]) -> Bool {
        reads.contains(where: covers)
    }

    /// True when `read` and a masked place overlap: one lies within the other.
    public func covers(_ read: InputPath) -> Bool {
        paths.contains { path in
            guard let first = path.first, first == nil || first == read.variable else { return false }
            for (segment, masked) in zip(read.segments, path.dropFirst()) {
                switch segment {
                case .unknown: return true
                case .anyElement: continue
                case .field(let name): if masked != nil && masked != name { return false }
                }
            }
            return true
        }
    }
}
