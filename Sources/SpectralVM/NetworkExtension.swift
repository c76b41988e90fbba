import SpectralBytecode

/// CEL's network extension (cel-go `ext.Network()`): the opaque types `net.IP` and
/// `net.CIDR`, their constructors `ip` and `cidr`, the validators `isIP`, `isCIDR` and
/// `ip.isCanonical`, address classification methods and prefix containment.
///
/// Parsing is bounded (see `IPAddress.maxTextLength`), so no builtin here needs to charge
/// size-dependent work; bad input is a CEL error value, never a trap.
enum NetworkExtension {
    static let functions: [LibraryFunction] = [
        LibraryFunction("ip", [
            .global("string_to_ip", [.string], .ip) { heap, args throws(Trap) in
                guard case .string(let h) = args[0] else { return noSuchOverload("ip", args, &heap) }
                return try makeIP(heap.string(h), &heap)
            },
            .receiver("cidr_ip", [.cidr], .ip) { heap, args throws(Trap) in
                guard let (address, _) = prefix(args[0], heap) else { return noSuchOverload("ip", args, &heap) }
                return try heap.makeObject(.ip(address))
            },
        ]),
        LibraryFunction("cidr", [
            .global("string_to_cidr", [.string], .cidr) { heap, args throws(Trap) in
                guard case .string(let h) = args[0] else { return noSuchOverload("cidr", args, &heap) }
                return try makeCIDR(heap.string(h), &heap)
            },
        ]),
        LibraryFunction("isIP", [
            .global("is_ip", [.string], .bool) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("isIP", args, &heap) }
                if case .success = IPAddress.parse(heap.string(h)) { return .bool(true) }
                return .bool(false)
            },
        ]),
        LibraryFunction("isCIDR", [
            .global("is_cidr", [.string], .bool) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("isCIDR", args, &heap) }
                if case .success = IPAddress.parsePrefix(heap.string(h)) { return .bool(true) }
                return .bool(false)
            },
        ]),
        // True when the text is exactly the RFC 5952 form the address prints as; text that
        // is no address at all is an error, as in cel-go.
        LibraryFunction("ip.isCanonical", [
            .global("ip_is_canonical", [.string], .bool) { heap, args in
                guard case .string(let h) = args[0] else { return noSuchOverload("ip.isCanonical", args, &heap) }
                let text = heap.string(h)
                switch IPAddress.parse(text) {
                case .success(let address): return .bool(address.description == text)
                case .failure(let failure): return heap.makeError(ipMessage(failure, text))
                }
            },
        ]),
        LibraryFunction("family", [
            .receiver("ip_family", [.ip], .int) { heap, args in
                guard let address = address(args[0], heap) else { return noSuchOverload("family", args, &heap) }
                return .int(address.isIPv4 ? 4 : 6)
            },
        ]),
        ipPredicate("isUnspecified", "ip_is_unspecified") { $0.isUnspecified },
        ipPredicate("isLoopback", "ip_is_loopback") { $0.isLoopback },
        ipPredicate("isGlobalUnicast", "ip_is_global_unicast") { $0.isGlobalUnicast },
        ipPredicate("isLinkLocalMulticast", "ip_is_link_local_multicast") { $0.isLinkLocalMulticast },
        ipPredicate("isLinkLocalUnicast", "ip_is_link_local_unicast") { $0.isLinkLocalUnicast },
        // containsIP / containsCIDR accept the argument as an object or as text to parse.
        LibraryFunction("containsIP", [
            .receiver("cidr_contains_ip", [.cidr, .ip], .bool, containsIP),
            .receiver("cidr_contains_ip_string", [.cidr, .string], .bool, containsIP),
        ]),
        LibraryFunction("containsCIDR", [
            .receiver("cidr_contains_cidr", [.cidr, .cidr], .bool, containsCIDR),
            .receiver("cidr_contains_cidr_string", [.cidr, .string], .bool, containsCIDR),
        ]),
        LibraryFunction("masked", [
            .receiver("cidr_masked", [.cidr], .cidr) { heap, args throws(Trap) in
                guard let (address, length) = prefix(args[0], heap) else { return noSuchOverload("masked", args, &heap) }
                return try heap.makeObject(.cidr(address.masked(to: length), prefixLength: length))
            },
        ]),
        LibraryFunction("prefixLength", [
            .receiver("cidr_prefix_length", [.cidr], .int) { heap, args in
                guard let (_, length) = prefix(args[0], heap) else { return noSuchOverload("prefixLength", args, &heap) }
                return .int(Int64(length))
            },
        ]),
    ]

    private static func ipPredicate(_ name: String, _ id: String,
                                    _ predicate: @escaping @Sendable (IPAddress) -> Bool) -> LibraryFunction {
        LibraryFunction(name, [
            .receiver(id, [.ip], .bool) { heap, args in
                guard let address = address(args[0], heap) else { return noSuchOverload(name, args, &heap) }
                return .bool(predicate(address))
            },
        ])
    }

    private static let containsIP: Builtin = { heap, args in
        guard let (network, length) = prefix(args[0], heap) else { return noSuchOverload("containsIP", args, &heap) }
        var candidate = address(args[1], heap)
        if candidate == nil, case .string(let h) = args[1] {
            let text = heap.string(h)
            switch IPAddress.parse(text) {
            case .success(let parsed): candidate = parsed
            case .failure(let failure): return heap.makeError(ipMessage(failure, text))
            }
        }
        guard let candidate else { return noSuchOverload("containsIP", args, &heap) }
        return .bool(network.prefix(length: length, contains: candidate))
    }

    private static let containsCIDR: Builtin = { heap, args in
        guard let (network, length) = prefix(args[0], heap) else { return noSuchOverload("containsCIDR", args, &heap) }
        var candidate = prefix(args[1], heap)
        if candidate == nil, case .string(let h) = args[1] {
            let text = heap.string(h)
            switch IPAddress.parsePrefix(text) {
            case .success(let parsed): candidate = parsed
            case .failure(let failure): return heap.makeError(cidrMessage(failure, text))
            }
        }
        guard let (other, otherLength) = candidate else { return noSuchOverload("containsCIDR", args, &heap) }
        return .bool(network.prefix(length: length, containsPrefix: other, length: otherLength))
    }

    static func makeIP(_ text: String, _ heap: inout Heap) throws(Trap) -> Value {
        switch IPAddress.parse(text) {
        case .success(let address): return try heap.makeObject(.ip(address))
        case .failure(let failure): return heap.makeError(ipMessage(failure, text))
        }
    }

    static func makeCIDR(_ text: String, _ heap: inout Heap) throws(Trap) -> Value {
        switch IPAddress.parsePrefix(text) {
        case .success(let (address, length)): return try heap.makeObject(.cidr(address, prefixLength: length))
        case .failure(let failure): return heap.makeError(cidrMessage(failure, text))
        }
    }

    // MARK: Conversion to string

    /// `string(ip)` and `string(cidr)`: the canonical text (RFC 5952 for IPv6), the
    /// prefix's address as written.
    static func toString(_ value: Value, _ heap: inout Heap) throws(Trap) -> Value {
        if let address = address(value, heap) { return try heap.makeString(address.description) }
        if let (address, length) = prefix(value, heap) { return try heap.makeString("\(address)/\(length)") }
        return heap.makeError("no such overload: string(\(value.typeKind.name))")
    }

    // MARK: Helpers

    private static func address(_ value: Value, _ heap: Heap) -> IPAddress? {
        guard case .object(.ip, let h) = value, case .ip(let address) = heap.object(h) else { return nil }
        return address
    }

    private static func prefix(_ value: Value, _ heap: Heap) -> (IPAddress, Int)? {
        guard case .object(.cidr, let h) = value, case .cidr(let address, let length) = heap.object(h) else { return nil }
        return (address, length)
    }

    /// The text as quoted in a message, shortened: the input may be arbitrarily long.
    private static func quoted(_ text: String) -> String {
        let limit = 2 * IPAddress.maxTextLength
        return "'" + (text.utf8.count > limit ? String(text.prefix(limit)) + "..." : text) + "'"
    }

    // Messages as the conformance corpus words them.
    private static func ipMessage(_ failure: IPParseFailure, _ text: String) -> String {
        switch failure {
        case .malformed: return "IP Address \(quoted(text)) parse error during conversion from string"
        case .zone: return "IP Address with zone value is not allowed"
        case .mappedIPv4: return "IPv4-mapped IPv6 address is not allowed"
        }
    }

    private static func cidrMessage(_ failure: IPParseFailure, _ text: String) -> String {
        switch failure {
        case .malformed: return "network address \(quoted(text)) parse error during conversion from string"
        case .zone: return "CIDR with zone value is not allowed"
        case .mappedIPv4: return "IPv4-mapped IPv6 address is not allowed"
        }
    }
}
