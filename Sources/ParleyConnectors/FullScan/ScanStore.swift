import Foundation
import GRDB
import ParleyCore

/// The full-scan connectors' own small SQLite file (next to the state file): per datatype, the content
/// hashes of each scan generation and the changes a generation reported, kept until the engine confirms
/// it processed them by asking with the generation's cursor.
final class ScanStore: Sendable {
    let queue: DatabaseQueue
    let path: String
    /// Generations kept besides the base in use and the newest one (several flows may read one datatype).
    static let retained = 6

    init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw ConnectorError.fatal(system: "scan state", message: "cannot open the scan state file '\(path)': \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE generations (
                    datatype TEXT NOT NULL, generation INTEGER NOT NULL, base INTEGER NOT NULL, item_count INTEGER NOT NULL,
                    PRIMARY KEY (datatype, generation));
                CREATE TABLE hashes (
                    datatype TEXT NOT NULL, generation INTEGER NOT NULL, record_id TEXT NOT NULL, hash TEXT NOT NULL,
                    PRIMARY KEY (datatype, generation, record_id)) WITHOUT ROWID;
                CREATE TABLE items (
                    datatype TEXT NOT NULL, generation INTEGER NOT NULL, position INTEGER NOT NULL,
                    record_id TEXT, fields TEXT, deleted INTEGER NOT NULL DEFAULT 0, version TEXT, changed_at INTEGER, malformed TEXT,
                    PRIMARY KEY (datatype, generation, position)) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    /// The hashes of a generation, or nil when that generation is not (any more) known.
    func hashes(datatype: String, generation: Int64) async throws -> [String: String]? {
        try await access { db in
            guard try Bool.fetchOne(
                db, sql: "SELECT 1 FROM generations WHERE datatype = ? AND generation = ?", arguments: [datatype, generation]) == true
            else { return nil }
            var result: [String: String] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT record_id, hash FROM hashes WHERE datatype = ? AND generation = ?", arguments: [datatype, generation])
            while let row = try rows.next() {
                result[row[0]] = row[1]
            }
            return result
        }
    }

    /// Stores a new generation (its hashes and the changes it found) in one transaction, forgets
    /// generations no longer needed, and returns the new generation's number.
    func save(datatype: String, base: Int64, hashes: [String: String], items: [ChangeItem]) async throws -> Int64 {
        try await access(write: true) { db in
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(generation) FROM generations WHERE datatype = ?", arguments: [datatype]) ?? 0
            let generation = max(newest, base) + 1
            try db.execute(
                sql: "INSERT INTO generations (datatype, generation, base, item_count) VALUES (?, ?, ?, ?)",
                arguments: [datatype, generation, base, items.count])
            let insertHash = try db.makeStatement(sql: "INSERT INTO hashes (datatype, generation, record_id, hash) VALUES (?, ?, ?, ?)")
            for (id, hash) in hashes {
                try insertHash.execute(arguments: [datatype, generation, id, hash])
            }
            let insertItem = try db.makeStatement(sql: """
                INSERT INTO items (datatype, generation, position, record_id, fields, deleted, version, changed_at, malformed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (position, item) in items.enumerated() {
                switch item {
                case .record(let record):
                    try insertItem.execute(arguments: [
                        datatype, generation, position, record.id, record.fields.jsonText, record.deleted, record.version, record.changedAtMillis, nil,
                    ])
                case .malformed(let id, let reason):
                    try insertItem.execute(arguments: [datatype, generation, position, id, nil, false, nil, nil, reason])
                }
            }
            let keep = try Int64.fetchAll(
                db, sql: "SELECT generation FROM generations WHERE datatype = ? ORDER BY generation DESC LIMIT ?",
                arguments: [datatype, Self.retained]) + [base, generation]
            let placeholders = Array(repeating: "?", count: keep.count).joined(separator: ", ")
            for table in ["generations", "hashes", "items"] {
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE datatype = ? AND generation NOT IN (\(placeholders))",
                    arguments: StatementArguments([datatype] + keep.map { $0 as any DatabaseValueConvertible }))
            }
            // Only the newest scan is paged through; older ones keep their hashes only.
            try db.execute(sql: "DELETE FROM items WHERE datatype = ? AND generation <> ?", arguments: [datatype, generation])
            return generation
        }
    }

    /// Items of a generation from `position`, and how many it has; nil when the generation's items are gone.
    func items(datatype: String, generation: Int64, from position: Int, limit: Int) async throws -> (items: [ChangeItem], total: Int)? {
        try await access { db in
            guard let total = try Int.fetchOne(
                db, sql: "SELECT item_count FROM generations WHERE datatype = ? AND generation = ?", arguments: [datatype, generation])
            else { return nil }
            if total > 0, position < total,
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM items WHERE datatype = ? AND generation = ? AND position = ?",
                    arguments: [datatype, generation, position]) != true
            {
                return nil
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT record_id, fields, deleted, version, changed_at, malformed FROM items
                    WHERE datatype = ? AND generation = ? AND position >= ? ORDER BY position LIMIT ?
                    """,
                arguments: [datatype, generation, position, limit])
            let items = rows.map { row -> ChangeItem in
                let id: String? = row[0]
                if let reason: String = row[5] { return .malformed(id: id, reason: reason) }
                let fieldsText: String = row[1] ?? "{}"
                let fields = (try? JSONValue.parse(fieldsText)) ?? .object([:])
                return .record(NativeRecord(id: id ?? "", fields: fields, changedAtMillis: row[4], deleted: row[2], version: row[3]))
            }
            return (items, total)
        }
    }

    /// The engine processed every change of `generation`: its items are no longer needed.
    func finish(datatype: String, generation: Int64) async throws {
        try await access(write: true) { db in
            try db.execute(sql: "DELETE FROM items WHERE datatype = ? AND generation = ?", arguments: [datatype, generation])
        }
    }

    private func access<T: Sendable>(write: Bool = false, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return write ? try await queue.write(body) : try await queue.read(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw ConnectorError.transient(system: "scan state", message: "'\(path)' is busy: \(error.message ?? "locked")", retryAfterSeconds: 1)
        } catch {
            throw ConnectorError.fatal(system: "scan state", message: "'\(path)': \(error)")
        }
    }
}

/// Opens the scan file on first use, so commands that only read schemas (`validate`, `docs`) create no file.
actor LazyScanStore {
    let path: String
    private var store: ScanStore?

    init(path: String) { self.path = path }

    func get() throws -> ScanStore {
        if let store { return store }
        let opened = try ScanStore(path: path)
        store = opened
        return opened
    }
}
