import GRDB
import ParleyCore

/// Row -> model conversions; a row that does not decode is a store corruption, reported as such.
enum RowDecoding {
    /// The columns `link(_:)` reads, by position (the table's own order, so `SELECT *` decodes too): links are
    /// read for every changed record, and GRDB's lookup by column name costs a lowercased copy per lookup.
    static let linkColumns = "flow, left_id, right_id, state, idem_key, left_shadow, right_shadow, updated_at"

    /// `linkColumns` qualified by `table`, for joins.
    static func linkColumns(of table: String) -> String {
        linkColumns.split(separator: ", ").map { "\(table).\($0)" }.joined(separator: ", ")
    }

    static func link(_ row: Row) throws -> Link {
        guard let state = LinkState(rawValue: row[3]),
            let left = CanonicalRecord(shadowText: row[5] as String),
            let right = CanonicalRecord(shadowText: row[6] as String)
        else { throw StoreError.failed(path: "", message: "undecodable link row for flow \(row[0] as String? ?? "?")") }
        return Link(
            flow: row[0], leftId: row[1], rightId: row[2], state: state, idempotencyKey: row[4],
            leftShadow: left, rightShadow: right, updatedAtMillis: row[7])
    }

    /// The columns `staged(_:)` reads, by position (the table's own order).
    static let stagedColumns = "flow, side, record_id, state, fields, changed_at, reason, related"

    static func staged(_ row: Row) throws -> StagedRecord {
        guard let side = Side(rawValue: row[1]), let state = StagedState(rawValue: row[3]) else {
            throw StoreError.failed(path: "", message: "undecodable staged row")
        }
        let relatedText: String = row[7]
        let related = relatedText == "[]" ? [] : try JSONValue.parse(relatedText).arrayValue?.compactMap(\.stringValue) ?? []
        return StagedRecord(
            flow: row[0], side: side, id: row[2], state: state, fields: try JSONValue.parse(row[4] as String),
            changedAtMillis: row[5], reason: row[6], related: related)
    }

    static func conflict(_ row: Row) throws -> ConflictEntry {
        guard let winner = Side(rawValue: row["winner"]), let rule = ConflictRule(rawValue: row["rule"]),
            let left = CanonicalValue(json: try JSONValue.parse(row["left_value"] as String)),
            let right = CanonicalValue(json: try JSONValue.parse(row["right_value"] as String))
        else { throw StoreError.failed(path: "", message: "undecodable conflict row") }
        return ConflictEntry(
            id: row["id"], flow: row["flow"], leftId: row["left_id"], rightId: row["right_id"], property: row["property"],
            leftValue: left, rightValue: right, winner: winner, rule: rule, atMillis: row["at"], resolved: (row["resolved"] as Int) != 0)
    }

    static func quarantine(_ row: Row) throws -> QuarantineEntry {
        guard let side = Side(rawValue: row["side"]) else { throw StoreError.failed(path: "", message: "undecodable quarantine row") }
        return QuarantineEntry(flow: row["flow"], side: side, id: row["record_id"], reason: row["reason"], attempts: row["attempts"], atMillis: row["at"])
    }

    static func audit(_ row: Row) throws -> AuditEntry {
        guard let target = Side(rawValue: row["target"]), let action = AuditAction(rawValue: row["action"]) else {
            throw StoreError.failed(path: "", message: "undecodable audit row")
        }
        let changes = try JSONValue.parse(row["changes"] as String).arrayValue?.compactMap(propertyWrite) ?? []
        return AuditEntry(
            id: row["id"], atMillis: row["at"], flow: row["flow"], leftId: row["left_id"], rightId: row["right_id"], target: target,
            action: action, changes: changes, note: row["note"])
    }

    static func changesJSON(_ changes: [PropertyWrite]) -> JSONValue {
        .array(changes.map { ["property": .string($0.property), "before": $0.before.json, "after": $0.after.json, "reason": .string($0.reason.rawValue)] })
    }

    static func propertyWrite(_ json: JSONValue) -> PropertyWrite? {
        guard let property = json["property"]?.stringValue, let before = json["before"].flatMap(CanonicalValue.init(json:)),
            let after = json["after"].flatMap(CanonicalValue.init(json:)), let reason = json["reason"]?.stringValue.flatMap(WriteReason.init(rawValue:))
        else { return nil }
        return PropertyWrite(property: property, before: before, after: after, reason: reason)
    }
}
