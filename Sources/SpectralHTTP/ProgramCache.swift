import Logging
import Spectral
import SpectralCatalog
import Synchronization

/// Verified programs keyed `name@version`, and each name's active version.
///
/// The decide path never compiles: it loads bytecode from the store, decodes and verifies
/// it (stored bytes are never trusted), and keeps the program. Versions are immutable, so
/// a cached `name@version` never goes stale; only the active pointers do. A notification
/// on `spectral_predicates` (or the in-process signal with SQLite) drops the pointer of
/// the name it mentions, and a periodic refresh drops them all, so the next request
/// re-reads the active version.
///
/// Bounded by bytes: a `decide` key can pin any stored version, and one program can be
/// large, so the cache keeps at most `maxBytes` of programs (by `Program.residentBytes`)
/// and evicts the least recently used past that. A program larger than the whole budget
/// is served and not kept.
public final class ProgramCache: Sendable {
    /// A program ready to run, with what the response reports. A class: the decide path
    /// passes it around, and a copy is one reference, not one per field.
    public final class Entry: Sendable {
        public let name: String
        public let version: Int
        public let program: Program
        /// The source, for saying where in it (line and column) an evaluation failed; its
        /// text is not shown to `decide` callers, who may not read it.
        public let source: String
        /// What of an input is never logged nor quoted in an input error (`InputMask`).
        public let inputMask: InputMask
        /// The share of this version's decisions to log, before the server's own rate.
        public let logSample: LogSampleRate
        let machines: MachinePool
        /// What keeping it costs: the program and its source.
        let bytes: Int
        /// When it was last served, on the cache's use clock: the eviction order. Stamped
        /// without the cache's lock, so a hit only reads under it.
        fileprivate let lastUsed = Atomic<UInt64>(0)

        init(name: String, version: Int, program: Program, source: String, inputMask: InputMask = .none,
             logSample: LogSampleRate = .all) {
            self.name = name
            self.version = version
            self.program = program
            self.source = source
            self.inputMask = inputMask
            self.logSample = logSample
            machines = MachinePool(program: program)
            bytes = program.residentBytes + source.utf8.count
        }
    }

    /// A cached version: the name and the number, compared as they are (no `name@version`
    /// string is built to look one up).
    private struct Key: Hashable {
        let name: String
        let version: Int
    }

    private struct State {
        var programs: [Key: Entry] = [:]
        var active: [String: Int] = [:]
        var bytes = 0

        /// Stamps `entry` used and keeps it, unless it (or a twin loaded at the same time)
        /// is kept already or it is larger than the whole budget.
        mutating func keep(_ entry: Entry, as key: Key, maxBytes: Int, stamp: UInt64) {
            entry.lastUsed.store(stamp, ordering: .relaxed)
            guard programs[key] == nil, entry.bytes <= maxBytes else { return }
            while bytes + entry.bytes > maxBytes,
                  let oldest = programs.min(by: { $0.value.lastUsed.load(ordering: .relaxed) < $1.value.lastUsed.load(ordering: .relaxed) })?.key {
                bytes -= programs.removeValue(forKey: oldest)?.bytes ?? 0
            }
            programs[key] = entry
            bytes += entry.bytes
        }
    }

    /// The use clock: each hit takes the next tick.
    private let clock = Atomic<UInt64>(0)
    private let state = Mutex(State())
    private let store: any PredicateRepository & NotificationSource
    private let limits: Limits
    private let maxBytes: Int
    private let logger: Logger

    public init(store: any PredicateRepository & NotificationSource, limits: Limits, maxBytes: Int = 256 << 20, logger: Logger) {
        self.store = store
        self.limits = limits
        self.maxBytes = maxBytes
        self.logger = logger
    }

    /// Number of cached programs, for /metrics.
    public var count: Int { state.withLock { $0.programs.count } }
    /// Their estimated resident bytes.
    public var bytes: Int { state.withLock { $0.bytes } }

    /// The program for `name` at `version`, or at its active version when nil.
    public func entry(_ name: String, version: Int?) async throws(APIError) -> Entry {
        let cached = state.withLock { state -> Entry? in
            guard let version = version ?? state.active[name] else { return nil }
            return state.programs[Key(name: name, version: version)]
        }
        if let cached {
            touch(cached)
            return cached
        }
        let stored: PredicateVersion?
        do {
            stored = try await store.predicate(name, version: version)
        } catch {
            throw APIError.storeUnavailable(error)
        }
        guard let stored else {
            if let version { throw APIError.notFound("predicate '\(name)' has no version \(version)") }
            throw APIError.notFound("no active predicate named '\(name)'")
        }
        // After a refresh dropped the active pointer, the version the store names is
        // usually cached already: pointed at again, not decoded and verified anew.
        let key = Key(name: stored.name, version: stored.version)
        let entry: Entry
        if let kept = state.withLock({ $0.programs[key] }) { entry = kept } else { entry = try load(stored) }
        state.withLock { state in
            state.keep(entry, as: key, maxBytes: maxBytes, stamp: tick())
            if version == nil { state.active[name] = stored.version }
        }
        return entry
    }

    /// The use clock's next tick.
    private func tick() -> UInt64 { clock.add(1, ordering: .relaxed).newValue }

    private func touch(_ entry: Entry) { entry.lastUsed.store(tick(), ordering: .relaxed) }

    private func load(_ stored: PredicateVersion) throws(APIError) -> Entry {
        do {
            return Entry(name: stored.name, version: stored.version, program: try stored.program(limits: limits), source: stored.source,
                         inputMask: stored.inputMask, logSample: stored.logSample)
        } catch {
            logger.error("stored predicate failed verification", metadata: ["predicate": "\(stored.reference)", "error": "\(error)"])
            throw APIError(.internalServerError, code: "corrupt_predicate", "stored predicate \(stored.reference) failed verification")
        }
    }

    /// Forgets `name`'s active version (a notification said it may have changed).
    public func invalidate(reference: String) {
        let name = reference.split(separator: "@").first.map(String.init) ?? reference
        state.withLock { _ = $0.active.removeValue(forKey: name) }
    }

    /// Forgets every active version (the periodic refresh, and after reconnecting).
    public func invalidateAll() {
        state.withLock { $0.active.removeAll() }
    }

    /// Keeps the pointers fresh until cancelled: notifications drop single names, and every
    /// `interval` all of them are dropped in case a notification was missed.
    public func refresh(every interval: Duration) async {
        await withDiscardingTaskGroup { group in
            group.addTask { [store, logger] in
                do {
                    try await store.listen(to: .predicates) { [weak self] payload in
                        if payload.isEmpty { self?.invalidateAll() } else { self?.invalidate(reference: payload) }
                    }
                } catch {
                    logger.warning("predicate notifications unavailable; polling only", metadata: ["error": "\(error)"])
                }
            }
            group.addTask { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    self?.invalidateAll()
                }
            }
        }
    }
}
