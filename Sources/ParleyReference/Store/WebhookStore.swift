import GRDB

/// Persisted webhook subscriptions.
struct WebhookStore: Sendable {
    let database: ReferenceDatabase

    func all() async throws -> [WebhookSubscription] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, url, secret, collections FROM parley_webhooks ORDER BY created_ms, id").map { row in
                let collectionsText: String? = row["collections"]
                let collections = collectionsText.flatMap { text in
                    (try? JSONParser.parse(text))?.arrayValue?.compactMap(\.stringValue)
                }
                return WebhookSubscription(id: row["id"], url: row["url"], secret: row["secret"], collections: collections)
            }
        }
    }

    func insert(_ subscription: WebhookSubscription, now: Int64) async throws {
        let collections = subscription.collections.map { JSONWriter.string(.array($0.map(JSONValue.string))) }
        try await database.pool.write { db in
            try db.execute(
                sql: "INSERT INTO parley_webhooks (id, url, secret, collections, created_ms) VALUES (?, ?, ?, ?, ?)",
                arguments: [subscription.id, subscription.url, subscription.secret, collections, now]
            )
        }
    }

    /// Returns whether a subscription with that id existed.
    func delete(id: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM parley_webhooks WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
