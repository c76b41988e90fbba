import SpectralBytecode
import SpectralSyntax

/// The most fuel a string function can charge at run time beyond its instruction's
/// price, for the static cost bound. Those functions charge by the bytes they read or
/// build (`Heap.chargeWork`, 16 bytes a unit, times `WorkPrice`'s multipliers, and the
/// memory of what they make), so their cost is finite only where the strings' sizes are:
/// a literal, or an input whose schema says `maxLength` (`ValueExtent.bytes`). Over any
/// other string the bound depends on input sizes.
///
/// The figures mirror the VM's charges (`StandardFunctions`, `StringsExtension`,
/// `RegexMetering`), rounded up; `SchemaCostBoundTests` holds the bound to the fuel a
/// maximal input really uses. Operators are priced by `OperationWorkBound`, the other
/// library functions by `CallWorkBound`; `format` is not priced yet (the bound is unknown
/// where it is called).
enum StringWorkBound {
    enum Work: Equatable {
        case bounded(UInt64)
        case unbounded

        var units: UInt64? {
            if case .bounded(let units) = self { return units }
            return nil
        }
    }

    /// Steps (16 a unit) for a result or an error value the function makes: its object
    /// overhead and a short message.
    static let valueSteps: UInt64 = 256
    /// The VM's multipliers (`WorkPrice`), as unsigned counts.
    static let decodeScalars = UInt64(WorkPrice.decodeScalars), searchScalars = UInt64(WorkPrice.searchScalars)
    static let buildScalars = UInt64(WorkPrice.buildScalars), splitPiece = UInt64(WorkPrice.splitPiece)
    static let replacement = UInt64(WorkPrice.replacement)
    /// `startsWith` and `endsWith` compare at their own prices; one bound covers both.
    static let compare = UInt64(max(WorkPrice.forwardCompare, WorkPrice.reverseCompare))

    /// The extra work of a call resolved to `overloads` on `operands` (the receiver first);
    /// nil when none of the overloads is priced by size. Under `dyn` several overloads may
    /// match: the dearest counts.
    static func work(overloads: [String], operands: [Expr], extent: ValueExtent) -> Work? {
        var result: Work?
        for id in overloads {
            guard let work = work(overload: id, operands.map(extent.bytes(of:))) else { continue }
            switch (result, work) {
            case (.unbounded?, _), (_, .unbounded): result = .unbounded
            case (.bounded(let a)?, .bounded(let b)): result = .bounded(max(a, b))
            case (nil, _): result = work
            }
        }
        return result
    }

    /// A `matches` against a constant pattern (`matchConst`): the text's bytes times the
    /// step price of the matcher the pattern runs on.
    static func match(subject: Expr, matcher: RegexCost.Matcher, extent: ValueExtent) -> Work {
        guard let text = extent.bytes(of: subject) else { return .unbounded }
        return .bounded(units(steps: add(UInt64(RegexCost.stepsPerFuelUnit), multiply(text, UInt64(RegexCost.stepsPerByte(matcher))))))
    }

    private static func work(overload id: String, _ bytes: [UInt64?]) -> Work? {
        func need(_ index: Int) -> UInt64? { index < bytes.count ? bytes[index] : nil }
        let steps: UInt64?
        switch id {
        case "size_string", "string_size", "contains_string":
            steps = need(0)
        case "starts_with_string", "ends_with_string":
            steps = need(1).map { multiply($0, compare) }
        case "string_lower_ascii", "string_upper_ascii", "string_trim":
            steps = need(0).map { add($0, valueSteps) }
        case "string_char_at_int":
            steps = need(0).map { add(multiply($0, decodeScalars), valueSteps) }
        case "string_index_of_string", "string_index_of_string_int", "string_last_index_of_string", "string_last_index_of_string_int":
            guard let s = need(0), let t = need(1) else { return .unbounded }
            steps = multiply(add(s, t), searchScalars)
        case "string_substring_int", "string_substring_int_int":
            steps = need(0).map { add(multiply($0, decodeScalars + buildScalars + 1), valueSteps) }
        case "string_reverse":
            steps = need(0).map { add(multiply($0, buildScalars + 1), valueSteps) }
        case "strings_quote":
            // Built scalar by scalar; an escape writes two bytes for one, and two quotes more.
            steps = need(0).map { add(multiply($0, buildScalars + 2), valueSteps) }
        case "string_replace_string_string", "string_replace_string_string_int":
            // At most a replacement per byte and one more (an empty needle goes between
            // scalars, decoded and built one at a time), each priced and writing the new
            // text; the receiver's bytes copied between them.
            guard let s = need(0), let new = need(2) else { return .unbounded }
            let places = add(s, 1)
            let priced = add(multiply(s, buildScalars), multiply(places, replacement))
            steps = add(add(priced, add(s, multiply(places, new))), valueSteps)
        case "string_split_string", "string_split_string_int":
            // At most one piece per byte, and one more: each piece a string, a list slot
            // and `splitPiece` units; the bytes decoded by scalar when the separator is empty.
            guard let s = need(0) else { return .unbounded }
            let pieces = add(s, 1)
            let pieceSteps = multiply(pieces, splitPiece * 16 + OperationWorkBound.valueBytes + valueSteps)
            steps = add(add(multiply(s, decodeScalars + 1), pieceSteps), valueSteps)
        case "matches", "matches_string":
            // A pattern from input is compiled at run time: its price has no static bound.
            return .unbounded
        default:
            return nil
        }
        return steps.map { .bounded(units(steps: $0)) } ?? .unbounded
    }

    private static func units(steps: UInt64) -> UInt64 { steps / 16 + 1 }
    private static func add(_ a: UInt64, _ b: UInt64) -> UInt64 { Saturating.add(a, b) }
    private static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 { Saturating.multiply(a, b) }
}
