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
        var arguments: [(any DatabaseValueConvertible)?] = [flow]
        if !ids.isEmpty {
            clauses.append("left_id IN (\(placeholders(ids.count))) OR right_id IN (\(placeholders(ids.count)))")
            arguments += ids.map { $0 as (any DatabaseValueConvertible)? } + ids.map { $0 as (any DatabaseValueConvertible)? }
        }
        if !keys.isEmpty {
            for column in ["left_id", "right_id"] {
                clauses.append(
                    "\(column) IN (SELECT record_id FROM record_keys WHERE flow = ? AND side = ? AND key IN (\(placeholders(keys.count))))")
                arguments.append(flow)
                arguments.append(column == "left_id" ? Side.left.rawValue : Side.right.rawValue)
                arguments += keys.map { $0 as (any DatabaseValueConvertible)? }
            }
        }
        arguments.append(limit)
        let sql = "SELECT \(RowDecoding.linkColumns) FROM links WHERE flow = ? AND (\(clauses.joined(separator: " OR "))) ORDER BY updated_at DESC, rowid DESC LIMIT ?"
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
                db, sql: "SELECT * FROM audit WHERE flow = ? AND (left_id = ? OR right_id = ?) ORDER BY id DESC LIMIT ?",
                arguments: [flow, leftId, rightId, limit]
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
