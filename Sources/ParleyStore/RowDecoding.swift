import GRDB
import ParleyCore

/// Row -> model conversions; a row that does not decode is a store corruption, reported as such.
enum RowDecoding {
    static func link(_ row: Row) throws -> Link {
        guard let state = LinkState(rawValue: row["state"]),
            let left = CanonicalRecord(shadowText: row["left_shadow"] as String),
            let right = CanonicalRecord(shadowText: row["right_shadow"] as String)
        else { throw StoreError.failed(path: "", message: "undecodable link row for flow \(row["flow"] as String? ?? "?")") }
        return Link(
            flow: row["flow"], leftId: row["left_id"], rightId: row["right_id"], state: state, idempotencyKey: row["idem_key"],
            leftShadow: left, rightShadow: right, updatedAtMillis: row["updated_at"])
    }

    static func staged(_ row: Row) throws -> StagedRecord {
        guard let side = Side(rawValue: row["side"]), let state = StagedState(rawValue: row["state"]) else {
            throw StoreError.failed(path: "", message: "undecodable staged row")
        }
        let related = try JSONValue.parse(row["related"] as String).arrayValue?.compactMap(\.stringValue) ?? []
        return StagedRecord(
            flow: row["flow"], side: side, id: row["record_id"], state: state, fields: try JSONValue.parse(row["fields"] as String),
            changedAtMillis: row["changed_at"], reason: row["reason"], related: related)
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
