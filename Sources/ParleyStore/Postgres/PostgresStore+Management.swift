import ParleyCore
import PostgresNIO

/// The management queries (`LinkStoreManagement`) for PostgreSQL.
extension PostgresStore {
    public func conflict(id: Int64) async throws -> ConflictEntry? {
        try await fetch("SELECT * FROM conflicts WHERE id = \(id)", PostgresRows.conflict).first
    }

    public func findLinks(flow: String, ids: [String], keys: [String], limit: Int) async throws -> [Link] {
        let ids = Array(ids.prefix(500))
        let keys = Array(keys.prefix(500))
        if ids.isEmpty && keys.isEmpty { return [] }
        return try await fetch(
            """
            SELECT * FROM links WHERE flow = \(flow) AND (
                left_id = ANY(\(ids)) OR right_id = ANY(\(ids))
                OR left_id IN (SELECT record_id FROM record_keys WHERE flow = \(flow) AND side = 'left' AND key = ANY(\(keys)))
                OR right_id IN (SELECT record_id FROM record_keys WHERE flow = \(flow) AND side = 'right' AND key = ANY(\(keys))))
            ORDER BY updated_at DESC LIMIT \(limit)
            """, PostgresRows.link)
    }

    public func recentLinks(flow: String, limit: Int) async throws -> [Link] {
        try await fetch("SELECT * FROM links WHERE flow = \(flow) ORDER BY updated_at DESC LIMIT \(limit)", PostgresRows.link)
    }

    public func history(flow: String, leftId: String?, rightId: String?, limit: Int) async throws -> [AuditEntry] {
        if leftId == nil && rightId == nil { return [] }
        return try await fetch(
            "SELECT * FROM audit WHERE flow = \(flow) AND (left_id = \(leftId) OR right_id = \(rightId)) ORDER BY id DESC LIMIT \(limit)",
            PostgresRows.audit)
    }

    public func recentAudit(flow: String?, limit: Int) async throws -> [AuditEntry] {
        if let flow {
            return try await fetch("SELECT * FROM audit WHERE flow = \(flow) ORDER BY id DESC LIMIT \(limit)", PostgresRows.audit)
        }
        return try await fetch("SELECT * FROM audit ORDER BY id DESC LIMIT \(limit)", PostgresRows.audit)
    }
}
