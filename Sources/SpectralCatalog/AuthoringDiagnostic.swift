import Spectral
import SpectralJSON

/// One reason a predicate was rejected, as stored with the rejection and shown to the
/// author (the agent feeds these back to the model): the stage that found it, the message,
/// and for source errors the line, column and a caret excerpt.
public struct AuthoringDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// `declaration`, `parse`, `check`, `compile`, `cost`, `verify`, `test` or `payload`.
    public var stage: String
    public var message: String
    public var line: Int?
    public var column: Int?
    /// `line:column: error: message`, the source line and a caret, for source errors.
    public var rendered: String?

    public init(stage: String, message: String, line: Int? = nil, column: Int? = nil, rendered: String? = nil) {
        self.stage = stage
        self.message = message
        self.line = line
        self.column = column
        self.rendered = rendered
    }

    /// A diagnostic of the parser, checker or code generator, located in `source`.
    public init(_ diagnostic: Diagnostic, in source: String) {
        let location = SourceLocation.of(offset: Int(max(diagnostic.span.start, 0)), in: source)
        self.init(stage: diagnostic.stage.rawValue, message: diagnostic.message,
                  line: location.line, column: location.column, rendered: diagnostic.rendered(in: source))
    }

    public var description: String { rendered ?? "\(stage): \(message)" }

    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("stage", .string(stage)), ("message", .string(message))]
        if let line { members.append(("line", .number(JSONNumber(Int64(line))))) }
        if let column { members.append(("column", .number(JSONNumber(Int64(column))))) }
        if let rendered { members.append(("rendered", .string(rendered))) }
        return .object(members)
    }

    public init?(json: JSONValue) {
        guard let stage = json["stage"]?.stringValue, let message = json["message"]?.stringValue else { return nil }
        self.init(stage: stage, message: message,
                  line: json["line"]?.int64Value.map { Int($0) }, column: json["column"]?.int64Value.map { Int($0) },
                  rendered: json["rendered"]?.stringValue)
    }

    /// A JSON array of diagnostics, as stored with a rejection.
    public static func listJSON(_ diagnostics: [AuthoringDiagnostic]) -> String {
        JSONValue.array(diagnostics.map(\.jsonValue)).serialized()
    }

    public static func list(jsonText: String) -> [AuthoringDiagnostic] {
        guard let items = (try? JSONValue.parse(jsonText))?.arrayValue else { return [] }
        return items.compactMap(AuthoringDiagnostic.init(json:))
    }
}
