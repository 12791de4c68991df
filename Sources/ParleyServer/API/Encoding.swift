import ParleyCore
import ParleyEngine

/// The JSON shapes of the management API (Contracts/management-api.yaml).
enum Encoding {
    /// A canonical value as plain JSON: text, number, boolean, `YYYY-MM-DD`, RFC 3339, or the referenced id.
    static func value(_ value: CanonicalValue) -> JSONValue {
        switch value {
        case .null: .null
        case .text(let s): .string(s)
        case .number(let d): .number(d.description)
        case .bool(let b): .bool(b)
        case .date(let d): .string(d)
        case .datetime(let ms): .string(Timestamps.rfc3339(millis: ms))
        case .reference(let id): .string(id)
        }
    }

    static func time(_ millis: Int64) -> JSONValue { .string(Timestamps.rfc3339(millis: millis)) }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    static func record(_ values: CanonicalRecord) -> JSONValue { .object(values.mapValues(value)) }

    static func sides(_ counts: [Side: Int]) -> JSONValue {
        ["left": .int(counts[.left] ?? 0), "right": .int(counts[.right] ?? 0)]
    }

    static func datatype(_ ref: DatatypeRef) -> JSONValue {
        ["system": .string(ref.system), "datatype": .string(ref.datatype)]
    }

    static func counts(_ counts: FlowCounts) -> JSONValue {
        [
            "linked": .int(counts.linked), "pending": .int(counts.pending), "deleted": .int(counts.deleted), "unmatched": .int(counts.unmatched),
            "ambiguous": .int(counts.ambiguous), "parked": .int(counts.parked), "pendingDeletes": .int(counts.pendingDeletes),
            "excluded": .int(counts.excluded),
            "quarantined": .int(counts.quarantined), "openConflicts": .int(counts.openConflicts), "conflicts": .int(counts.conflicts),
        ]
    }

    static func flow(_ overview: FlowOverview) -> JSONValue {
        let flow = overview.flow
        var lag: [String: JSONValue] = [:]
        var cursors: [String: JSONValue] = [:]
        for side in Side.allCases {
            cursors[side.rawValue] = optional(overview.cursors[side] ?? nil)
            if let pending = overview.lag[side] ?? nil {
                lag[side.rawValue] = ["pending": .int(pending.count), "more": .bool(pending.more)]
            } else {
                lag[side.rawValue] = .null
            }
        }
        return [
            "name": .string(flow.name), "left": datatype(flow.left), "right": datatype(flow.right), "direction": .string(flow.direction.rawValue),
            "dependsOn": .array(flow.dependencies.map(JSONValue.string)), "counts": counts(overview.counts), "cursors": .object(cursors),
            "lag": .object(lag),
        ]
    }

    static func link(_ link: Link, flow: FlowDefinition) -> JSONValue {
        [
            "flow": .string(link.flow), "leftSystem": .string(flow.left.system), "rightSystem": .string(flow.right.system),
            "leftId": optional(link.leftId), "rightId": optional(link.rightId), "state": .string(link.state.rawValue),
            "updatedAt": time(link.updatedAtMillis), "leftShadow": record(link.leftShadow), "rightShadow": record(link.rightShadow),
        ]
    }

    static func audit(_ entry: AuditEntry, flow: FlowDefinition?) -> JSONValue {
        let changes: [JSONValue] = entry.changes.map {
            ["property": .string($0.property), "before": value($0.before), "after": value($0.after), "reason": .string($0.reason.rawValue)]
        }
        return [
            "id": entry.id.map { .int64($0) } ?? .null, "at": time(entry.atMillis), "flow": .string(entry.flow), "leftId": optional(entry.leftId),
            "rightId": optional(entry.rightId), "target": .string(entry.target.rawValue),
            "targetSystem": optional(flow?.datatype(on: entry.target).system), "action": .string(entry.action.rawValue),
            "changes": .array(changes), "note": optional(entry.note),
        ]
    }

    static func conflict(_ conflict: ConflictEntry, flow: FlowDefinition?) -> JSONValue {
        [
            "id": conflict.id.map { .int64($0) } ?? .null, "flow": .string(conflict.flow), "leftId": .string(conflict.leftId),
            "rightId": .string(conflict.rightId), "leftSystem": optional(flow?.left.system), "rightSystem": optional(flow?.right.system),
            "property": .string(conflict.property), "leftValue": value(conflict.leftValue), "rightValue": value(conflict.rightValue),
            "winner": .string(conflict.winner.rawValue), "rule": .string(conflict.rule.rawValue), "at": time(conflict.atMillis),
            "resolved": .bool(conflict.resolved),
        ]
    }

    static func staged(_ record: StagedRecord, flow: FlowDefinition?) -> JSONValue {
        [
            "flow": .string(record.flow), "side": .string(record.side.rawValue), "system": optional(flow?.datatype(on: record.side).system),
            "id": .string(record.id), "state": .string(record.state.rawValue), "reason": optional(record.reason),
            "candidates": .array(record.related.map(JSONValue.string)),
            "changedAt": record.changedAtMillis.map(time) ?? .null,
        ]
    }

    static func parked(_ record: StagedRecord, flow: FlowDefinition?) -> JSONValue {
        [
            "flow": .string(record.flow), "side": .string(record.side.rawValue), "system": optional(flow?.datatype(on: record.side).system),
            "id": .string(record.id), "reason": optional(record.reason), "waitingOn": optional(record.related.first),
            "changedAt": record.changedAtMillis.map(time) ?? .null,
        ]
    }

    static func recordStatus(_ status: RecordStatus, flow: FlowDefinition) -> JSONValue {
        let staged: JSONValue =
            status.staged.map { record in
                [
                    "state": .string(record.state.rawValue), "reason": optional(record.reason), "related": .array(record.related.map(JSONValue.string)),
                    "changedAt": record.changedAtMillis.map(time) ?? .null,
                ]
            } ?? .null
        return [
            "flow": .string(flow.name), "side": .string(status.side.rawValue), "system": .string(flow.datatype(on: status.side).system),
            "id": .string(status.id), "status": .string(status.status.rawValue), "summary": .string(status.summary),
            "link": status.link.map { link($0, flow: flow) } ?? .null, "staged": staged,
            "quarantine": status.quarantine.map { quarantine($0, flow: flow) } ?? .null,
            "history": .array(status.history.map { audit($0, flow: flow) }),
        ]
    }

    static func quarantine(_ entry: QuarantineEntry, flow: FlowDefinition?) -> JSONValue {
        [
            "flow": .string(entry.flow), "side": .string(entry.side.rawValue), "system": optional(flow?.datatype(on: entry.side).system),
            "id": .string(entry.id), "reason": .string(entry.reason), "attempts": .int(entry.attempts), "at": time(entry.atMillis),
        ]
    }

    static func report(_ report: FlowReport) -> JSONValue {
        let plan: [JSONValue] = report.plan.map {
            ["action": .string($0.action.rawValue), "side": .string($0.side.rawValue), "id": .string($0.id), "detail": .string($0.detail)]
        }
        return [
            "flow": .string(report.flow), "read": sides(report.read), "unchanged": .int(report.unchanged), "linked": .int(report.linked),
            "created": sides(report.created), "updated": sides(report.updated), "archived": sides(report.archived),
            "deleted": sides(report.deleted), "conflicts": .int(report.conflicts), "parked": .int(report.parked),
            "ambiguous": .int(report.ambiguous), "quarantined": .int(report.quarantined), "deferred": .int(report.deferred),
            "writes": .int(report.writes), "plan": .array(plan),
        ]
    }

    static func report(_ pass: PassReport) -> JSONValue {
        [
            "flows": .array(pass.flows.map { report($0) }), "errors": .array(pass.errors.map(JSONValue.string)),
            "writes": .int(pass.writes),
        ]
    }
}
