/// Finds the variable slot of an input member's name for the binder. A program reads a
/// handful of variables, and a scan of those beats hashing; but a program may declare
/// thousands, and then every one of tens of thousands of input keys would scan them all,
/// so past `scanLimit` names the lookup is a dictionary built once per binding.
///
/// Holds the names itself (one array retain) rather than borrowing the `Machine`: passing
/// the machine per key copied it (callgrind: +60 instructions per decide).
struct SlotLookup {
    static let scanLimit = 16
    private let names: [String]
    private let index: [String: Int]?

    init(_ names: [String]) {
        self.names = names
        if names.count > Self.scanLimit {
            var index: [String: Int] = [:]
            // The first slot wins, as `Machine.slot(of:)` returns it.
            for (slot, name) in names.enumerated() where index[name] == nil { index[name] = slot }
            self.index = index
        } else {
            self.index = nil
        }
    }

    func slot(of name: String) -> Int? {
        if let index { return index[name] }
        return names.firstIndex { StringBytes.equal($0, name) }
    }
}
