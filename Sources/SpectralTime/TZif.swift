/// Decoder for the TZif format (RFC 8536), versions 1 to 4. When a version 2+
/// block is present it is used (64-bit times reach past 2038 and before 1901)
/// together with its footer; a version 1 file uses its 32-bit block alone.
/// Every read is bounds-checked: a corrupt file is an error, never a trap.
enum TZif {
    static func decode(_ data: [UInt8], name: String) throws(TimeError) -> ZoneRules {
        var r = ByteReader(data, name: name)
        let v1 = try Header(&r)
        guard v1.version >= 2 else {
            return try block(&r, header: v1, timeSize: 4, footer: nil, name: name)
        }
        // Skip the 32-bit block to reach the second header.
        try r.skip(v1.dataLength(timeSize: 4))
        let v2 = try Header(&r)
        let start = r.index
        try r.skip(v2.dataLength(timeSize: 8))
        let footer = try r.footer()
        r.index = start
        return try block(&r, header: v2, timeSize: 8, footer: footer.flatMap(PosixTZ.init), name: name)
    }

    struct Header {
        var version: Int
        var isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt: Int

        init(_ r: inout ByteReader) throws(TimeError) {
            guard try r.bytes(4) == Array("TZif".utf8) else { throw r.corrupt("bad magic") }
            let v = try r.u8()
            version = v == 0 ? 1 : Int(v) - 0x30          // '\0', '2', '3', '4'
            guard version >= 1 else { throw r.corrupt("bad version") }
            try r.skip(15)
            isutcnt = try r.count(); isstdcnt = try r.count(); leapcnt = try r.count()
            timecnt = try r.count(); typecnt = try r.count(); charcnt = try r.count()
            guard typecnt >= 1 else { throw r.corrupt("no local time types") }
        }

        func dataLength(timeSize: Int) -> Int {
            // Counts are capped in `ByteReader.count()`, so this cannot overflow.
            timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt
        }
    }

    static func block(_ r: inout ByteReader, header h: Header, timeSize: Int, footer: PosixTZ?,
                      name: String) throws(TimeError) -> ZoneRules {
        var times: [Int64] = []
        times.reserveCapacity(h.timecnt)
        for _ in 0..<h.timecnt {
            times.append(timeSize == 8 ? try r.i64() : Int64(try r.i32()))
        }
        var typeIndices: [Int] = []
        for _ in 0..<h.timecnt { typeIndices.append(Int(try r.u8())) }
        var typeOffsets: [Int32] = []
        for _ in 0..<h.typecnt {
            let utoff = try r.i32()
            try r.skip(2)                                     // isdst, desigidx: not needed
            // RFC 8536 forbids -2^31 and real zones stay within a day; larger
            // values would break the calendar arithmetic, so reject them.
            guard utoff > -86_400, utoff < 86_400 else { throw r.corrupt("offset out of range") }
            typeOffsets.append(utoff)
        }
        var offsets: [Int32] = []
        for i in typeIndices {
            guard i < typeOffsets.count else { throw r.corrupt("bad type index") }
            offsets.append(typeOffsets[i])
        }
        for i in 1..<max(times.count, 1) where times[i] <= times[i - 1] {
            throw r.corrupt("transitions not ascending")
        }
        return ZoneRules(name: name, transitions: times, offsets: offsets,
                         initialOffset: typeOffsets[0], footer: footer)
    }
}

/// Big-endian reader over a byte array.
struct ByteReader {
    let data: [UInt8]
    let name: String
    var index = 0

    init(_ data: [UInt8], name: String) {
        self.data = data
        self.name = name
    }

    func corrupt(_ why: String) -> TimeError {
        TimeError("invalid time zone data for '\(name)': \(why)")
    }

    mutating func skip(_ n: Int) throws(TimeError) {
        guard n >= 0, n <= data.count - index else { throw corrupt("truncated") }
        index += n
    }

    mutating func bytes(_ n: Int) throws(TimeError) -> [UInt8] {
        let start = index
        try skip(n)
        return Array(data[start..<index])
    }

    mutating func u8() throws(TimeError) -> UInt8 {
        try skip(1)
        return data[index - 1]
    }

    mutating func u64(_ n: Int) throws(TimeError) -> UInt64 {
        var v: UInt64 = 0
        for b in try bytes(n) { v = v << 8 | UInt64(b) }
        return v
    }

    mutating func i32() throws(TimeError) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: try u64(4))) }
    mutating func i64() throws(TimeError) -> Int64 { Int64(bitPattern: try u64(8)) }

    /// A header count; bounded so a hostile file cannot request huge allocations.
    mutating func count() throws(TimeError) -> Int {
        let v = try u64(4)
        guard v <= 1 << 20 else { throw corrupt("count too large") }
        return Int(v)
    }

    /// The `\nTZ-string\n` footer of a v2+ file; nil if missing or malformed.
    mutating func footer() throws(TimeError) -> String? {
        guard index < data.count, data[index] == 0x0A else { return nil }
        let rest = data[(index + 1)...]
        guard let end = rest.firstIndex(of: 0x0A) else { return nil }
        return String(decoding: data[(index + 1)..<end], as: UTF8.self)
    }
}
