#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// A client that behaves like Python's `urllib`: it writes the whole request, body and
/// all, before reading a byte of the response — over a blocking socket with send and
/// receive timeouts, so a server that stops reading shows up as a failed send, not a hang.
public struct RawHTTPClient: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public let port: Int
    public var timeoutSeconds = 5

    public init(port: Int, timeoutSeconds: Int = 5) {
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends `request` whole and returns everything the server answered before closing
    /// (or before the receive timeout).
    public func exchange(_ request: [UInt8]) throws -> String {
        let fd = try connected()
        defer { close(fd) }
        try sendAll(request, on: fd)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            guard n > 0 else { break }
            response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// Sends the first bytes of a request and stops, as a slowloris does; returns whether
    /// the server closed the connection before the receive timeout (whatever it answered
    /// first is read and ignored).
    public func stallsAndIsClosed(after prefix: [UInt8]) throws -> Bool {
        let fd = try connected()
        defer { close(fd) }
        try sendAll(prefix, on: fd)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    /// Sends `prefix`, then one more byte of `trickle` every `interval` (a body sent just
    /// often enough to never look idle); returns the seconds until the server closed the
    /// connection, or nil if it had not when the trickle ran out.
    public func trickles(_ prefix: [UInt8], _ trickle: [UInt8], every interval: Duration) throws -> Double? {
        let fd = try connected()
        defer { close(fd) }
        let started = ContinuousClock.now
        try sendAll(prefix, on: fd)
        var buffer = [UInt8](repeating: 0, count: 4096)
        for byte in trickle {
            Thread.sleep(forTimeInterval: interval.inSeconds)
            while true {  // whatever was answered, then: closed?
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, Int32(MSG_DONTWAIT)) }
                if n == 0 || (n < 0 && errno == ECONNRESET) { return (ContinuousClock.now - started).inSeconds }
                if n < 0 { break }
            }
            let sent = [byte].withUnsafeBytes { send(fd, $0.baseAddress!, 1, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return (ContinuousClock.now - started).inSeconds }
        }
        return nil
    }

    /// Sends `count` pipelined keep-alive requests (`request(i)`) on one connection, in
    /// batches each written whole before its responses are read; returns the count of
    /// each status.
    public func pipeline(count: Int, batch: Int = 500, _ request: (Int) -> [UInt8]) throws -> [Int: Int] {
        let fd = try connected()
        defer { close(fd) }
        var statuses: [Int: Int] = [:]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var pending: [UInt8] = []
        var remaining = count
        while remaining > 0 {
            let n = min(batch, remaining)
            let first = count - remaining
            try sendAll(Array((first..<first + n).map(request).joined()), on: fd)
            var answered = 0
            while answered < n {
                let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                guard received > 0 else { throw Failure(description: "the server closed after \(count - remaining + answered) responses") }
                pending += buffer[0..<received]
                answered += Self.takeResponses(from: &pending, into: &statuses)
            }
            remaining -= n
        }
        return statuses
    }

    /// Removes the complete responses at the front of `bytes` (head + Content-Length body),
    /// counting their statuses; returns how many it removed.
    static func takeResponses(from bytes: inout [UInt8], into statuses: inout [Int: Int]) -> Int {
        var taken = 0
        var start = 0
        let separator: [UInt8] = [13, 10, 13, 10]
        while let headEnd = Self.firstIndex(of: separator, in: bytes, from: start) {
            let head = String(decoding: bytes[start..<headEnd], as: UTF8.self)
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let end = headEnd + 4 + length
            guard end <= bytes.count else { break }
            let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            statuses[status, default: 0] += 1
            taken += 1
            start = end
        }
        bytes.removeFirst(start)
        return taken
    }

    private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], Array(bytes[index..<index + pattern.count]) == pattern { return index }
            index += 1
        }
        return nil
    }

    private func connected() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect() failed: errno \(errno)")
        }
        return fd
    }

    private func sendAll(_ request: [UInt8], on fd: Int32) throws {
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else {
                throw Failure(description: "send stalled after \(sent) of \(request.count) bytes (errno \(errno)): the server stopped reading")
            }
            sent += n
        }
    }

    /// A POST of `body` with the given extra header lines.
    public static func post(_ path: String, body: [UInt8], headers: [String]) -> [UInt8] {
        let head = (["POST \(path) HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
                     "Content-Length: \(body.count)"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
        return Array(head.utf8) + body
    }
}

extension Duration {
    fileprivate var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
