import PostgresNIO

/// A `text[]` parameter whose elements may be NULL, in PostgreSQL's binary array format.
/// PostgresNIO encodes `[String]` but not `[String?]`; the decision log's batch insert
/// passes each nullable column (`decision`, `error_code`, `caller`) as one of these.
struct PostgresTextArray: PostgresNonThrowingEncodable {
    var elements: [String?]

    static var psqlType: PostgresDataType { .textArray }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        // array_recv: dimensions, whether any element is NULL, the element type, then each
        // dimension's length and lower bound (1), then the elements, each its length in
        // bytes and its bytes, -1 for NULL.
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(elements.contains(where: { $0 == nil }) ? 1 : 0, as: Int32.self)
        buffer.writeInteger(PostgresDataType.text.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            buffer.writeInteger(Int32(element.utf8.count))
            buffer.writeString(element)
        }
    }
}
