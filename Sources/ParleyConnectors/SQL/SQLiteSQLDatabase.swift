import Foundation
import GRDB
import ParleyCore

/// A SQLite database file through GRDB. One connection; a lock serializes Parley's own use of it so a
/// transaction can span several awaited statements, and other processes are waited for (busy timeout).
final class SQLiteSQLDatabase: SQLDatabase {
    let system: String
    let path: String
    let queue: DatabaseQueue
    let lock = AsyncLock()
    var dialect: SQLDialect { .sqlite }

    init(system: String, path: String, timeoutMillis: Int) throws {
        self.system = system
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(Double(timeoutMillis) / 1_000)
        configuration.allowsUnsafeTransactions = true
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.classify(error, system: system, path: path)
        }
    }

    /// The connection closes when the database object is released.
    func close() async {}

    func rows(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        await lock.acquire()
        do {
            let rows = try await run(statement)
            await lock.release()
            return rows
        } catch {
            await lock.release()
            throw error
        }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        await lock.acquire()
        do {
            try await execute("BEGIN IMMEDIATE")
            let result = try await body(SQLiteLockedExecutor(database: self))
            try await execute("COMMIT")
            await lock.release()
            return result
        } catch {
            try? await execute("ROLLBACK")
            await lock.release()
            throw error
        }
    }

    /// Runs a statement; the caller holds the lock.
    func run(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        let sql = statement.sql
        let arguments = StatementArguments(statement.bindings.map(Self.databaseValue))
        do {
            return try await queue.writeWithoutTransaction { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    (0..<row.count).map { Self.value(row[$0] as DatabaseValue) }
                }
            }
        } catch {
            throw Self.classify(error, system: system, path: path)
        }
    }

    private func execute(_ sql: String) async throws {
        do {
            try await queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        } catch {
            throw Self.classify(error, system: system, path: path)
        }
    }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .text(let text): text.databaseValue
        }
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }

    static func classify(_ error: any Error, system: String, path: String) -> ConnectorError {
        if let error = error as? ConnectorError { return error }
        guard let error = error as? DatabaseError else {
            return .transient(system: system, message: "\(path): \(String(describing: error).prefix(200))", retryAfterSeconds: nil)
        }
        let message = "\(path): \(error.message ?? "SQLite error \(error.resultCode.rawValue)")"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_IOERR, .SQLITE_INTERRUPT:
            return .transient(system: system, message: message, retryAfterSeconds: nil)
        case .SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG, .SQLITE_RANGE:
            return .rejected(system: system, status: 422, message: message, property: constrainedColumn(error.message))
        default:
            return .fatal(system: system, message: message)
        }
    }

    /// `NOT NULL constraint failed: customers.name` -> `name`.
    static func constrainedColumn(_ message: String?) -> String? {
        guard let message, let colon = message.lastIndex(of: ":") else { return nil }
        let target = message[message.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !target.contains(" "), !target.contains(",") else { return nil }
        return target.split(separator: ".").last.map(String.init)
    }
}

/// Statements inside a transaction that already holds the lock.
struct SQLiteLockedExecutor: SQLExecutor {
    let database: SQLiteSQLDatabase
    func rows(_ statement: SQLStatement) async throws -> [[SQLValue]] { try await database.run(statement) }
}

/// A mutex for async code: waiters are resumed in order.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
