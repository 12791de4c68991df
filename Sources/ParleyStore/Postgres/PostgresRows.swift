import ParleyCore
import PostgresNIO

/// Row -> model conversions for the PostgreSQL store (same encodings as SQLite).
enum PostgresRows {
    static func link(_ row: PostgresRow) throws -> Link {
        let r = row.makeRandomAccess()
        guard let state = LinkState(rawValue: try r["state"].decode(String.self)),
            let left = CanonicalRecord(shadowJSON: try JSONValue.parse(try r["left_shadow"].decode(String.self))),
            let right = CanonicalRecord(shadowJSON: try JSONValue.parse(try r["right_shadow"].decode(String.self)))
        else { throw StoreError.failed(path: "postgres", message: "undecodable link row") }
        return Link(
            flow: try r["flow"].decode(String.self), leftId: try r["left_id"].decode(String?.self), rightId: try r["right_id"].decode(String?.self),
            state: state, idempotencyKey: try r["idem_key"].decode(String?.self), leftShadow: left, rightShadow: right,
            updatedAtMillis: try r["updated_at"].decode(Int64.self))
    }

    static func staged(_ row: PostgresRow) throws -> StagedRecord {
        let r = row.makeRandomAccess()
        guard let side = Side(rawValue: try r["side"].decode(String.self)), let state = StagedState(rawValue: try r["state"].decode(String.self)) else {
            throw StoreError.failed(path: "postgres", message: "undecodable staged row")
        }
        let related = try JSONValue.parse(try r["related"].decode(String.self)).arrayValue?.compactMap(\.stringValue) ?? []
        return StagedRecord(
            flow: try r["flow"].decode(String.self), side: side, id: try r["record_id"].decode(String.self), state: state,
            fields: try JSONValue.parse(try r["fields"].decode(String.self)), changedAtMillis: try r["changed_at"].decode(Int64?.self),
            reason: try r["reason"].decode(String?.self), related: related)
    }

    static func conflict(_ row: PostgresRow) throws -> ConflictEntry {
        let r = row.makeRandomAccess()
        guard let winner = Side(rawValue: try r["winner"].decode(String.self)), let rule = ConflictRule(rawValue: try r["rule"].decode(String.self)),
            let left = CanonicalValue(json: try JSONValue.parse(try r["left_value"].decode(String.self))),
            let right = CanonicalValue(json: try JSONValue.parse(try r["right_value"].decode(String.self)))
        else { throw StoreError.failed(path: "postgres", message: "undecodable conflict row") }
        return ConflictEntry(
            id: try r["id"].decode(Int64.self), flow: try r["flow"].decode(String.self), leftId: try r["left_id"].decode(String.self),
            rightId: try r["right_id"].decode(String.self), property: try r["property"].decode(String.self), leftValue: left, rightValue: right,
            winner: winner, rule: rule, atMillis: try r["at"].decode(Int64.self), resolved: try r["resolved"].decode(Bool.self))
    }

    static func quarantine(_ row: PostgresRow) throws -> QuarantineEntry {
        let r = row.makeRandomAccess()
        guard let side = Side(rawValue: try r["side"].decode(String.self)) else { throw StoreError.failed(path: "postgres", message: "undecodable quarantine row") }
        return QuarantineEntry(
            flow: try r["flow"].decode(String.self), side: side, id: try r["record_id"].decode(String.self), reason: try r["reason"].decode(String.self),
            attempts: Int(try r["attempts"].decode(Int32.self)), atMillis: try r["at"].decode(Int64.self))
    }

    static func audit(_ row: PostgresRow) throws -> AuditEntry {
        let r = row.makeRandomAccess()
        guard let target = Side(rawValue: try r["target"].decode(String.self)), let action = AuditAction(rawValue: try r["action"].decode(String.self)) else {
            throw StoreError.failed(path: "postgres", message: "undecodable audit row")
        }
        let changes = try JSONValue.parse(try r["changes"].decode(String.self)).arrayValue?.compactMap(RowDecoding.propertyWrite) ?? []
        return AuditEntry(
            id: try r["id"].decode(Int64.self), atMillis: try r["at"].decode(Int64.self), flow: try r["flow"].decode(String.self),
            leftId: try r["left_id"].decode(String?.self), rightId: try r["right_id"].decode(String?.self), target: target, action: action,
            changes: changes, note: try r["note"].decode(String?.self))
    }
}
