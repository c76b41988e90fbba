import Logging

extension Store {
    /// Runs the store (`run()` as a child task) for the duration of `body`, then closes it:
    /// structured, for commands and tests that use a store for a while without a
    /// ServiceGroup.
    public func whileRunning<T>(_ body: () async throws -> T) async throws -> T {
        try await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await self.run() }
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            // Ends `run()`, which the group then waits for.
            await close()
            return result
        }
        .get()
    }
}

extension StoreLocation {
    /// Opens the store, runs `body` with it while it runs, and closes it.
    public func withStore<T>(logger: Logger, _ body: (any Store) async throws -> T) async throws -> T {
        let store = try await open(logger: logger)
        return try await store.whileRunning { try await body(store) }
    }
}
