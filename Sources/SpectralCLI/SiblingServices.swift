import ServiceLifecycle

/// Several services run as one, for a command whose `runService` runs one service beside
/// the store: each runs in a child task, so each sees the group's graceful shutdown, and
/// the first to fail cancels the others (a service that returns early leaves the rest
/// running).
struct SiblingServices: Service {
    let services: [any Service]

    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for service in services {
                group.addTask { try await service.run() }
            }
        }
    }
}
