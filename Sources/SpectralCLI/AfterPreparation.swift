import ServiceLifecycle

/// A service made and run only after a preparation (migrations, the schema check), while
/// the store it needs already runs beside it in the same ServiceGroup: nothing is served or
/// claimed from a store that is not ready, and a failed preparation fails the group, as it
/// failed the command before the store became a service.
struct AfterPreparation: Service {
    /// Prepares, then returns the service to run.
    let prepare: @Sendable () async throws -> any Service

    func run() async throws {
        try await prepare().run()
    }
}
