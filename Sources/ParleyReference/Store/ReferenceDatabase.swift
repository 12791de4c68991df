import Foundation
import GRDB

/// The SQLite file of one reference system: one table per collection (id, seq, version, deleted flag,
/// change marker, JSON body, unique-key columns), a per-collection sequence, idempotency keys, webhooks.
struct ReferenceDatabase: Sendable {
    let pool: DatabasePool
    let system: SystemDefinition
    let path: String

    struct WrongSystem: Error, CustomStringConvertible {
        let path: String
        let found: String
        let expected: String
        var description: String {
            "database \(path) belongs to the reference system '\(found)', not '\(expected)'; use another --db path"
        }
    }

    static func open(path: String, system: SystemDefinition) throws -> ReferenceDatabase {
        var configuration = Configuration()
        configuration.label = "parley-reference-\(system.name)"
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        let owner = try pool.read { db -> String? in
            guard try db.tableExists("parley_meta") else { return nil }
            return try String.fetchOne(db, sql: "SELECT value FROM parley_meta WHERE key = 'system'")
        }
        if let owner, owner != system.name {
            try pool.close()
            throw WrongSystem(path: path, found: owner, expected: system.name)
        }
        try migrator(for: system).migrate(pool)
        return ReferenceDatabase(pool: pool, system: system, path: path)
    }

    private static func migrator(for system: SystemDefinition) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "CREATE TABLE parley_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
            try db.execute(sql: "INSERT INTO parley_meta (key, value) VALUES ('system', ?)", arguments: [system.name])
            try db.execute(sql: "CREATE TABLE parley_sequences (collection TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)")
            try db.execute(sql: """
                CREATE TABLE parley_idempotency_keys (
                    collection TEXT NOT NULL, key TEXT NOT NULL, record_id TEXT NOT NULL, created_ms INTEGER NOT NULL,
                    PRIMARY KEY (collection, key))
                """)
            try db.execute(sql: """
                CREATE TABLE parley_webhooks (
                    id TEXT PRIMARY KEY NOT NULL, url TEXT NOT NULL, secret TEXT NOT NULL,
                    collections TEXT, created_ms INTEGER NOT NULL)
                """)
            for datatype in system.datatypes {
                try createTable(for: datatype, in: db)
            }
        }
        return migrator
    }

    private static func createTable(for datatype: DatatypeDefinition, in db: Database) throws {
        let table = datatype.collection.quotedIdentifier
        let idColumn = datatype.idKind == .autoincrementInteger
            ? "id INTEGER PRIMARY KEY AUTOINCREMENT"
            : "id TEXT PRIMARY KEY NOT NULL"
        let uniqueColumns = datatype.uniqueProperties.map { ", \($0.uniqueColumn.quotedIdentifier) TEXT" }.joined()
        try db.execute(sql: """
            CREATE TABLE \(table) (
                \(idColumn), seq INTEGER NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
                marker_ms INTEGER NOT NULL, body TEXT NOT NULL\(uniqueColumns))
            """)
        try db.execute(sql: "CREATE UNIQUE INDEX \((datatype.collection + "_seq").quotedIdentifier) ON \(table)(seq)")
        for property in datatype.uniqueProperties {
            let column = property.uniqueColumn.quotedIdentifier
            let index = (datatype.collection + "_" + property.uniqueColumn).quotedIdentifier
            try db.execute(sql: "CREATE UNIQUE INDEX \(index) ON \(table)(\(column)) WHERE deleted = 0 AND \(column) IS NOT NULL")
        }
        try db.execute(sql: "INSERT INTO parley_sequences (collection, value) VALUES (?, 0)", arguments: [datatype.collection])
    }

    func close() {
        try? pool.close()
    }
}

extension String {
    /// The string as an SQL identifier in double quotes.
    var quotedIdentifier: String { "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
