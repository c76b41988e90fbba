import Spectral
import SpectralJSON
import SpectralTime

/// Reads the protobuf-JSON forms of `cel.expr.Value` and `cel.expr.Type` used by the
/// conformance files (see Fixtures/conformance/README.md).
enum ProtoJSON {
    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    static func value(_ json: JSONValue) throws(Unsupported) -> CELValue {
        guard case .object(let members) = json, let (key, payload) = members.first else {
            throw Unsupported(description: "malformed value")
        }
        switch key {
        case "null_value": return .null
        case "bool_value": return .bool(payload.boolValue ?? false)
        case "int64_value":
            guard let text = payload.stringValue ?? payload.numberValue?.text, let i = Int64(text) else { throw Unsupported(description: "bad int") }
            return .int(i)
        case "uint64_value":
            guard let text = payload.stringValue ?? payload.numberValue?.text, let u = UInt64(text) else { throw Unsupported(description: "bad uint") }
            return .uint(u)
        case "double_value":
            if let d = payload.doubleValue { return .double(d) }
            switch payload.stringValue {
            case "NaN": return .double(.nan)
            case "Infinity": return .double(.infinity)
            case "-Infinity": return .double(-.infinity)
            default: throw Unsupported(description: "bad double")
            }
        case "string_value": return .string(payload.stringValue ?? "")
        case "bytes_value":
            // Protobuf's JSON mapping writes standard base64 and reads either alphabet.
            let text = payload.stringValue ?? ""
            guard let bytes = Base64.decode(text) ?? Base64.decode(text, alphabet: .url) else { throw Unsupported(description: "bad bytes") }
            return .bytes(bytes)
        case "list_value":
            var items: [CELValue] = []
            for item in payload["values"]?.arrayValue ?? [] { items.append(try value(item)) }
            return .list(items)
        case "map_value":
            var entries: [(key: CELValue, value: CELValue)] = []
            for entry in payload["entries"]?.arrayValue ?? [] {
                guard let k = entry["key"], let v = entry["value"] else { throw Unsupported(description: "bad map entry") }
                entries.append((try value(k), try value(v)))
            }
            return .map(entries)
        case "type_value": return .type(payload.stringValue ?? "")
        case "object_value":
            let type = payload["@type"]?.stringValue ?? ""
            let text = payload["value"]?.stringValue ?? ""
            if type.hasSuffix("google.protobuf.Timestamp") {
                guard let t = try? Timestamp.parse(text) else { throw Unsupported(description: "bad timestamp") }
                return .timestamp(seconds: t.seconds, nanos: t.nanos)
            }
            if type.hasSuffix("google.protobuf.Duration") {
                guard let d = try? SpectralTime.Duration.parse(text) else { throw Unsupported(description: "bad duration") }
                return .duration(seconds: d.seconds, nanos: d.nanos)
            }
            throw Unsupported(description: "protobuf message \(type)")
        default:
            throw Unsupported(description: "unsupported value kind \(key)")
        }
    }

    static func type(_ json: JSONValue) throws(Unsupported) -> CELType {
        guard case .object(let members) = json, let (key, payload) = members.first else {
            throw Unsupported(description: "malformed type")
        }
        switch key {
        case "primitive":
            switch payload.stringValue {
            case "BOOL": return .bool
            case "INT64": return .int
            case "UINT64": return .uint
            case "DOUBLE": return .double
            case "STRING": return .string
            case "BYTES": return .bytes
            default: throw Unsupported(description: "primitive \(payload)")
            }
        case "list_type": return .list(try type(payload["elem_type"] ?? .null))
        case "map_type": return .map(try type(payload["key_type"] ?? .null), try type(payload["value_type"] ?? .null))
        case "dyn": return .dyn
        case "null": return .null
        case "well_known":
            switch payload.stringValue {
            case "TIMESTAMP": return .timestamp
            case "DURATION": return .duration
            default: throw Unsupported(description: "well-known type \(payload)")
            }
        case "message_type":
            switch payload.stringValue {
            case "google.protobuf.Timestamp": return .timestamp
            case "google.protobuf.Duration": return .duration
            default: throw Unsupported(description: "message type \(payload)")
            }
        case "type_param": return .param(payload.stringValue ?? "T")
        case "type": return .type(try type(payload))
        case "abstract_type":
            var params: [CELType] = []
            for p in payload["parameter_types"]?.arrayValue ?? [] { params.append(try type(p)) }
            return .abstract(payload["name"]?.stringValue ?? "", params)
        default:
            throw Unsupported(description: "unsupported type kind \(key)")
        }
    }
}
