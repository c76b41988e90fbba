// TEMPORARY until the regex branch lands.
public struct PatternError: Error, Sendable, CustomStringConvertible { public var message = ""; public var description: String { message } }
public struct Pattern: Sendable {
    public init(_ pattern: String) throws(PatternError) {}
    public func matches(_ text: String) -> Bool { false }
}
