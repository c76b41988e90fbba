/// Finds the variable slot of an input member's name for the binder. A program reads a
/// handful of variables, and a scan of those beats hashing; but a program may declare
/// thousands, and then every one of tens of thousands of input keys would scan them all,
/// so past `scanLimit` names the lookup is a dictionary built once per binding.
struct SlotLookup {
    static let scanLimit = 16
    private let index: [String: Int]?

    init(_ machine: borrowing Machine) {
        let variables = machine.executable.module.variables
        if variables.count > Self.scanLimit {
            var index: [String: Int] = [:]
            // The first slot wins, as `Machine.slot(of:)` returns it.
            for (slot, name) in variables.enumerated() where index[name] == nil { index[name] = slot }
            self.index = index
        } else {
            self.index = nil
        }
    }

    func slot(of name: String, in machine: borrowing Machine) -> Int? {
        if let index { return index[name] }
        return machine.slot(of: name)
    }
}
