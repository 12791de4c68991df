import GRDB
import ParleyCore

/// The management queries (`LinkStoreManagement`): look-ups by id, search, recent activity.
extension SQLiteStore {
    public func conflict(id: Int64) async throws -> ConflictEntry? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM conflicts WHERE id = ?", arguments: [id]).map(RowDecoding.conflict)
        }
    }

    public func findLinks(flow: String, ids: [String], keys: [String], limit: Int) async throws -> [Link] {
        let ids = Array(ids.prefix(500))
        let keys = Array(keys.prefix(500))
        if ids.isEmpty && keys.isEmpty { return [] }
        var clauses: [String] = []
        // No `flow = ?` beside the clauses: numbers belong to one flow, and with it SQLite would scan the flow's
        // links instead of looking each clause up in its index.
        var arguments: [(any DatabaseValueConvertible)?] = []
        if !ids.isEmpty {
            for side in [Side.left, .right] {
                clauses.append("\(RecordNumbers.column(side)) IN (\(RecordNumbers.of(placeholders(ids.count))))")
                arguments += [flow, side.rawValue] + ids.map { $0 as (any DatabaseValueConvertible)? }
            }
        }
        if !keys.isEmpty {
            for side in [Side.left, .right] {
                clauses.append(
                    "\(RecordNumbers.column(side)) IN (SELECT n FROM record_keys WHERE flow = ? AND side = ? AND key IN (\(placeholders(keys.count))))")
                arguments += [flow, side.rawValue] + keys.map { $0 as (any DatabaseValueConvertible)? }
            }
        }
        arguments.append(limit)
        let sql = "SELECT \(RowDecoding.linkColumns) FROM links WHERE \(clauses.joined(separator: " OR ")) ORDER BY updated_at DESC, rowid DESC LIMIT ?"
        let bound = StatementArguments(arguments)
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map(RowDecoding.link)
        }
    }

    public func recentLinks(flow: String, limit: Int) async throws -> [Link] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(RowDecoding.linkColumns) FROM links WHERE flow = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?", arguments: [flow, limit])
                .map(RowDecoding.link)
        }
    }

    public func history(flow: String, leftId: String?, rightId: String?, limit: Int) async throws -> [AuditEntry] {
        if leftId == nil && rightId == nil { return [] }
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit WHERE left_n IN (\(RecordNumbers.of("?"))) OR right_n IN (\(RecordNumbers.of("?")))
                    ORDER BY id DESC LIMIT ?
                    """,
                arguments: [flow, Side.left.rawValue, leftId, flow, Side.right.rawValue, rightId, limit]
            ).map(RowDecoding.audit)
        }
    }

    public func recentAudit(flow: String?, limit: Int) async throws -> [AuditEntry] {
        try await read { db in
            if let flow {
                return try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE flow = ? ORDER BY id DESC LIMIT ?", arguments: [flow, limit])
                    .map(RowDecoding.audit)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map(RowDecoding.audit)
        }
    }
}
