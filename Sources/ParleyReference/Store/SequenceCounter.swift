import GRDB

/// The per-collection write counter: every create, update and delete takes the next number.
enum SequenceCounter {
    static func current(_ db: Database, collection: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM parley_sequences WHERE collection = ?", arguments: [collection]) ?? 0
    }

    /// Reserves `count` numbers and returns the first.
    static func reserve(_ db: Database, collection: String, count: Int64 = 1) throws -> Int64 {
        try db.execute(
            sql: "UPDATE parley_sequences SET value = value + ? WHERE collection = ?",
            arguments: [count, collection]
        )
        return try current(db, collection: collection) - count + 1
    }
}
