import ParleyCore

/// Moves a whole state from one store into another (SQLite -> PostgreSQL and back).
public enum StoreTransfer {
    public struct NotEmpty: Error, CustomStringConvertible {
        public var flows: [String]
        public var description: String {
            "the target store already holds links for \(flows.joined(separator: ", ")); import only into an empty store"
        }
    }

    /// Copies everything; refuses a target that already has links for any of `flows`. Returns the batches committed.
    @discardableResult
    public static func copy(from source: any StoreExporting, to target: any LinkStore, flows: [String], batchSize: Int = 500) async throws -> Int {
        var occupied: [String] = []
        for flow in flows {
            let hasLinks = try await !target.links(flow: flow, after: nil, limit: 1).isEmpty
            let hasPending = try await target.counts(flow: flow).pending > 0
            if hasLinks || hasPending { occupied.append(flow) }
        }
        if !occupied.isEmpty { throw NotEmpty(flows: occupied) }
        var batches = 0
        try await source.export(batchSize: batchSize) { batch in
            try await target.commit(batch)
            batches += 1
        }
        return batches
    }
}
