import SpectralCatalog

extension OutboxTopics {
    /// The claim's condition on `topic` as both stores write it, `(topic IN list) = inList`:
    /// `.only` admits the listed topics, `.except` and `.all` (an empty exception) the
    /// others. One shape for every case, so the claim's SQL text does not vary with it.
    var sqlCondition: (topics: [String], inList: Bool) {
        switch self {
        case .all: return ([], false)
        case .only(let topics): return (topics, true)
        case .except(let topics): return (topics, false)
        }
    }
}
