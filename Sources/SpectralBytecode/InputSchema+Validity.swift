extension InputSchema {
    /// What makes this schema one the binder cannot apply as written, nil when nothing
    /// does. The compiler only builds valid schemas; the verifier asks this of every
    /// module, whose bytes may come from anywhere. Recursive: callers bound the depth first.
    public func problem(at pointer: String = "#") -> String? {
        let isString: Bool, isNumber: Bool
        switch kind {
        case .string: (isString, isNumber) = (true, false)
        case .integer, .number: (isString, isNumber) = (false, true)
        default: (isString, isNumber) = (false, false)
        }
        if maxLength != nil, !isString { return "maxLength on a value that is not a string at \(pointer)" }
        if format != nil, !isString { return "a format on a value that is not a string at \(pointer)" }
        if (minimum != nil || maximum != nil) && !isNumber { return "a minimum or maximum on a value that is not a number at \(pointer)" }
        if let minimum, !minimum.isFinite { return "a minimum that is not finite at \(pointer)" }
        if let maximum, !maximum.isFinite { return "a maximum that is not finite at \(pointer)" }
        if let minimum, let maximum, minimum > maximum { return "a minimum above the maximum at \(pointer)" }
        if maxItems != nil, case .array = kind {} else if maxItems != nil { return "maxItems on a value that is not an array at \(pointer)" }
        if maxProperties != nil, case .object = kind {} else if maxProperties != nil {
            return "maxProperties on a value that is not an object at \(pointer)"
        }
        if nullable, kind == .null || kind == .any { return "a nullable null or untyped value at \(pointer)" }
        for value in values ?? [] {
            switch value {
            case .null, .bool, .int, .uint, .string: continue
            case .double(let d) where d.isFinite: continue
            default: return "an enum value that is not a finite scalar at \(pointer)"
            }
        }
        switch kind {
        case .array(let element): return element.problem(at: pointer + "/items")
        case .object(let object):
            for (previous, next) in zip(object.fields, object.fields.dropFirst())
                where !previous.name.utf8.lexicographicallyPrecedes(next.name.utf8) {
                return "fields not in strictly ascending name order at \(pointer)"
            }
            for field in object.fields {
                if let problem = field.schema.problem(at: pointer + "/properties/" + field.name) { return problem }
            }
            if case .allowed(let others) = object.additional {
                return others.problem(at: pointer + "/additionalProperties")
            }
            return nil
        default: return nil
        }
    }
}
