/// Reading a whole store back out, batch by batch, to move state between stores
/// (`parley store export|import`, SQLite -> PostgreSQL) without losing links.
public protocol StoreExporting: Sendable {
    /// Calls `body` with consecutive batches that together hold every row of the store; committing them in
    /// order into an empty store reproduces the state (conflicts and audit entries get new ids, same order).
    func export(batchSize: Int, _ body: (StoreBatch) async throws -> Void) async throws
}
