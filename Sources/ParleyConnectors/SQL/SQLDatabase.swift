/// Runs statements, inside a transaction or not.
protocol SQLExecutor: Sendable {
    /// Runs one statement and returns its rows (none for writes without RETURNING).
    func rows(_ statement: SQLStatement) async throws -> [[SQLValue]]
}

/// A database a SQL connector reads and writes: PostgreSQL (PostgresNIO) or SQLite (GRDB). Errors come
/// out as `ConnectorError`s (busy, deadlock, connection loss: transient; constraint violations: rejected;
/// missing tables or columns, authentication: fatal), never with credentials.
protocol SQLDatabase: SQLExecutor {
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    func close() async
}
