import GRDB
import ParleyCore

/// A record as the SQLite state numbers it: its flow, side and id.
struct RecordRef: Hashable {
    var flow: String
    var side: Side
    var id: String
}

/// The numbers the SQLite state gives record ids (`record_ids`, schema v2). Links, merge keys and audit rows
/// are indexed by number, so ids a system hands out at random (UUIDs) are written at random places in one index
/// (`record_ids_by_id`) instead of one per table; numbers grow, so the other indexes grow at their end.
enum RecordNumbers {
    /// The numbers of `records`, numbering those seen for the first time (in the order given).
    static func assign(_ records: [RecordRef], in db: Database) throws -> [RecordRef: Int64] {
        var idsByScope: [BatchWriter.Scope: [String]] = [:]
        var seen: Set<RecordRef> = []
        for record in records where seen.insert(record).inserted {
            idsByScope[BatchWriter.Scope(flow: record.flow, side: record.side), default: []].append(record.id)
        }
        var numbers: [RecordRef: Int64] = [:]
        numbers.reserveCapacity(seen.count)
        for (scope, ids) in idsByScope.sorted(by: { $0.key < $1.key }) {
            // Most records of a batch were numbered before (an edit, the source side of a create): read first,
            // then number only the new ones.
            try read(ids, scope: scope, into: &numbers, in: db)
            let new = ids.filter { numbers[RecordRef(flow: scope.flow, side: scope.side, id: $0)] == nil }
            if new.isEmpty { continue }
            try BatchWriter.insertRows(new, into: "INSERT INTO record_ids (flow, side, record_id)", columns: 3, in: db) { id in
                [scope.flow, scope.side.rawValue, id]
            }
            try read(new, scope: scope, into: &numbers, in: db)
        }
        return numbers
    }

    static func read(_ ids: [String], scope: BatchWriter.Scope, into numbers: inout [RecordRef: Int64], in db: Database) throws {
        try BatchWriter.forEachRow(
            matching: ids, after: [scope.flow, scope.side.rawValue], in: db,
            sql: { "SELECT record_id, n FROM record_ids WHERE flow = ? AND side = ? AND record_id IN (\($0))" }
        ) { row in
            numbers[RecordRef(flow: scope.flow, side: scope.side, id: row[0])] = row[1]
        }
    }

    /// The records a batch writes links, merge keys or audit rows for.
    static func referenced(by batch: StoreBatch) -> [RecordRef] {
        var records: [RecordRef] = []
        func add(_ flow: String, _ side: Side, _ id: String?) {
            if let id { records.append(RecordRef(flow: flow, side: side, id: id)) }
        }
        for link in batch.links {
            add(link.flow, .left, link.leftId)
            add(link.flow, .right, link.rightId)
        }
        for entry in batch.keys { add(entry.flow, entry.side, entry.id) }
        for entry in batch.audit {
            add(entry.flow, .left, entry.leftId)
            add(entry.flow, .right, entry.rightId)
        }
        return records
    }

    /// The subquery giving the numbers of a flow's and side's ids (arguments: flow, side, then the ids).
    static func of(_ placeholders: String) -> String {
        "SELECT n FROM record_ids WHERE flow = ? AND side = ? AND record_id IN (\(placeholders))"
    }

    /// The number column of `side` in links and audit.
    static func column(_ side: Side) -> String { side == .left ? "left_n" : "right_n" }
}
