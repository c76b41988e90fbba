import SpectralCatalog

extension Server {
    /// Store errors as API errors: unknown names 404, a rollback with nothing before and a
    /// follow-up to a task still running 409,
    /// anything else (the database is down) 503.
    func storeCall<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            switch error {
            case .unknownPredicate, .unknownVersion, .unknownEvent: throw APIError.notFound(error.description)
            case .nothingToRollBack: throw APIError(.conflict, code: "nothing_to_roll_back", error.description)
            case .taskBusy: throw APIError(.conflict, code: "task_busy", error.description)
            default: throw APIError.storeUnavailable(error)
            }
        } catch {
            throw APIError.storeUnavailable(error)
        }
    }
}
