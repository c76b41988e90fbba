/// The names of top-level input members the program does not use, kept to reject a
/// duplicate. A hashed set: the linear scan it replaces made every unused key cost a pass
/// over all the earlier ones (40,000 extra keys, 660 KB of body, took 4 s to bind, fuel
/// used 9). Swift's string hashing is seeded per process, so an attacker cannot choose
/// keys that collide.
struct InputKeySet {
    private var names: Set<String> = []
    /// Set operations performed: one per key, so binding work stays linear in the body.
    private(set) var probes = 0

    /// Adds `name`; false when it was already there (a duplicate member).
    mutating func insert(_ name: String) -> Bool {
        probes += 1
        return names.insert(name).inserted
    }
}
