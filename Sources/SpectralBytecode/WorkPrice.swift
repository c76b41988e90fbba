/// Multipliers for `Heap.chargeWork(bytes:)` (16 per fuel unit) where a byte of input
/// costs more than a byte scan. Set by `Benchmarks/calibrate.sh`, which found these
/// builtins charging next to nothing for seconds of work on 1 MiB strings (indexOf: 9
/// units; substring, reverse, strings.quote: 15-40× the median ns per unit).
///
/// In the bytecode layer beside `CostTable` for the same reason: the VM charges by these
/// and the compiler's static bound (`StringWorkBound`) prices by them, from one table.
public enum WorkPrice {
    /// Decoding a string into an array of scalars (`charAt`, `substring`).
    public static let decodeScalars = 4
    /// Decoding both strings and searching by scalar (`indexOf`, `lastIndexOf`).
    public static let searchScalars = 8
    /// Building a string one scalar at a time (`substring`'s result, `reverse`,
    /// `strings.quote`, `replace` with an empty needle).
    public static let buildScalars = 48
    /// Each replacement `replace` makes (positions, copies), on top of the bytes it writes.
    public static let replacement = 32
    /// `startsWith` compares UTF-8 views element by element (not a memcmp).
    public static let forwardCompare = 4
    /// `endsWith` compares through reversed UTF-8 views.
    public static let reverseCompare = 4
    /// Units (not bytes) for each piece `split` makes: a new string and a heap entry, about
    /// 150 ns however short the piece (found by `fuel_time`: 64 KiB split into single
    /// characters ran 56 ms, under ASan, for 4,113 units).
    public static let splitPiece = 8
    /// Units (not bytes) for concatenating two lists: a new array and a heap list entry
    /// whatever their length (small lists measured 12× the median per unit without it).
    public static let listConcatenation = 32
    /// The fixed bytes every heap object is charged beyond its payload (headers, index
    /// entries): `Heap.objectOverhead`.
    public static let objectBytes = 32
    /// Maps with more keys than this are indexed by hash (`MapObject.indexThreshold`);
    /// smaller ones are scanned. Crossing it charges a unit per key indexed.
    public static let mapIndexThreshold = 8
}
