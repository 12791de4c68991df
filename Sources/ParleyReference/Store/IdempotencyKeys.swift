import GRDB

/// Persisted `Idempotency-Key`s: which record the first create with a key made.
enum IdempotencyKeys {
    static func recordID(_ db: Database, collection: String, key: String, kind: IDKind) throws -> RecordID? {
        guard let text = try String.fetchOne(
            db, sql: "SELECT record_id FROM parley_idempotency_keys WHERE collection = ? AND key = ?",
            arguments: [collection, key]
        ) else { return nil }
        return RecordID.parse(pathSegment: text, kind: kind)
    }

    static func remember(_ db: Database, collection: String, key: String, id: RecordID, nowMilliseconds: Int64) throws {
        try db.execute(
            sql: "INSERT INTO parley_idempotency_keys (collection, key, record_id, created_ms) VALUES (?, ?, ?, ?)",
            arguments: [collection, key, id.text, nowMilliseconds]
        )
    }
}
