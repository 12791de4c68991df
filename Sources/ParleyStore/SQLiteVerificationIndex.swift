import Foundation
import GRDB
import ParleyCore

/// A throwaway SQLite file behind `VerificationIndex`; removed on `close()`.
public final class SQLiteVerificationIndex: VerificationIndex {
    let queue: DatabaseQueue
    let path: String

    public init(directory: String = FileManager.default.temporaryDirectory.path) throws {
        path = directory + "/parley-verify-\(UUID().uuidString).sqlite"
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE records (side TEXT NOT NULL, id TEXT NOT NULL, value TEXT NOT NULL, seen INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (side, id));
                CREATE TABLE record_keys (side TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL);
                CREATE INDEX record_keys_by_key ON record_keys(side, key);
                """)
        }
    }

    public func put(side: Side, records: [(id: String, values: JSONValue, keys: [String])]) async throws {
        let rows = records.map { ($0.id, $0.values.jsonText, $0.keys) }
        try await queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO records (side, id, value) VALUES (?, ?, ?)")
            let key = try db.cachedStatement(sql: "INSERT INTO record_keys (side, key, id) VALUES (?, ?, ?)")
            for (id, value, keys) in rows {
                try insert.execute(arguments: [side.rawValue, id, value])
                for k in keys { try key.execute(arguments: [side.rawValue, k, id]) }
            }
        }
    }

    public func values(side: Side, ids: [String]) async throws -> [String: JSONValue] {
        if ids.isEmpty { return [:] }
        return try await queue.read { db in
            var result: [String: JSONValue] = [:]
            try BatchWriter.forEachRow(
                matching: ids, after: [side.rawValue], in: db, sql: { "SELECT id, value FROM records WHERE side = ? AND id IN (\($0))" }
            ) { row in result[row[0]] = try JSONValue.parse(row[1] as String) }
            return result
        }
    }

    public func markSeen(side: Side, ids: [String]) async throws {
        if ids.isEmpty { return }
        try await queue.write { db in
            let statement = try db.cachedStatement(sql: "UPDATE records SET seen = 1 WHERE side = ? AND id = ?")
            for id in ids { try statement.execute(arguments: [side.rawValue, id]) }
        }
    }

    public func unseen(side: Side, after: String?, limit: Int) async throws -> [String] {
        try await queue.read { db in
            try String.fetchAll(
                db, sql: "SELECT id FROM records WHERE side = ? AND seen = 0 AND id > ? ORDER BY id LIMIT ?",
                arguments: [side.rawValue, after ?? "", limit])
        }
    }

    public func duplicateKeys(side: Side, limit: Int) async throws -> [String: [String]] {
        try await queue.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT key, group_concat(id, char(31)) AS ids FROM record_keys WHERE side = ?
                    GROUP BY key HAVING COUNT(DISTINCT id) > 1 ORDER BY key LIMIT ?
                    """,
                arguments: [side.rawValue, limit])
            var result: [String: [String]] = [:]
            for row in rows {
                let ids: String = row["ids"]
                result[row["key"]] = Array(Set(ids.split(separator: "\u{1F}").map(String.init))).sorted()
            }
            return result
        }
    }

    public func count(side: Side) async throws -> Int {
        try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM records WHERE side = ?", arguments: [side.rawValue]) ?? 0 }
    }

    public func close() async {
        try? queue.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}
