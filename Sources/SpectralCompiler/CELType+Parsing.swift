extension CELType {
    /// Parses a type written as in declarations: `int`, `double`, `map(string, dyn)`,
    /// `list(list(int))`, `timestamp` (or `google.protobuf.Timestamp`), `null_type`, `type(int)`.
    public static func parse(_ text: String) throws(TypeSyntaxError) -> CELType {
        var parser = TypeTextParser(Array(text.unicodeScalars))
        let type = try parser.parseType()
        parser.skipSpaces()
        guard parser.atEnd else { throw TypeSyntaxError("unexpected text after type in '\(text)'") }
        return type
    }
}

public struct TypeSyntaxError: Error, Sendable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

private struct TypeTextParser {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { position >= scalars.count }

    mutating func skipSpaces() {
        while position < scalars.count && scalars[position].properties.isWhitespace { position += 1 }
    }

    mutating func expect(_ c: Unicode.Scalar) throws(TypeSyntaxError) {
        skipSpaces()
        guard position < scalars.count, scalars[position] == c else { throw TypeSyntaxError("expected '\(c)' in type") }
        position += 1
    }

    mutating func name() -> String {
        skipSpaces()
        var out = ""
        while position < scalars.count,
              scalars[position].properties.isAlphabetic || scalars[position] == "_" || scalars[position] == "."
                || ("0"..."9").contains(scalars[position]) {
            out.unicodeScalars.append(scalars[position])
            position += 1
        }
        return out
    }

    mutating func parseType(depth: Int = 0) throws(TypeSyntaxError) -> CELType {
        guard depth < 32 else { throw TypeSyntaxError("type nested too deeply") }
        let word = name()
        switch word {
        case "int": return .int
        case "uint": return .uint
        case "double": return .double
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "dyn", "any": return .dyn
        case "null_type", "null": return .null
        case "timestamp", "google.protobuf.Timestamp": return .timestamp
        case "duration", "google.protobuf.Duration": return .duration
        case "list":
            try expect("(")
            let element = try parseType(depth: depth + 1)
            try expect(")")
            return .list(element)
        case "map":
            try expect("(")
            let key = try parseType(depth: depth + 1)
            try expect(",")
            let value = try parseType(depth: depth + 1)
            try expect(")")
            return .map(key, value)
        case "type":
            skipSpaces()
            if position < scalars.count, scalars[position] == "(" {
                position += 1
                let inner = try parseType(depth: depth + 1)
                try expect(")")
                return .type(inner)
            }
            return .type(.dyn)
        case "": throw TypeSyntaxError("expected a type name")
        default: throw TypeSyntaxError("unknown type '\(word)'")
        }
    }
}
