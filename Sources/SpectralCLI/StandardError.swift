#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a line to standard error (messages for humans; stdout carries results).
func printError(_ message: String) {
    let line = message + "\n"
    // Write straight to file descriptor 2: the C `stderr` global is not concurrency-safe in Swift 6.
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}

/// Reads a whole file as bytes.
func readFile(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw FileError(description: "cannot open '\(path)'") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    if ferror(file) != 0 { throw FileError(description: "cannot read '\(path)'") }
    return bytes
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    guard let file = fopen(path, "wb") else { throw FileError(description: "cannot create '\(path)'") }
    defer { fclose(file) }
    guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw FileError(description: "cannot write '\(path)'") }
}

struct FileError: Error, CustomStringConvertible {
    var description: String
}
