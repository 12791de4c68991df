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
/// (`record_ids`, keyed by id) instead of one per table; numbers grow, so the other indexes grow at their end.
/// The numbers of a batch's records; those from `firstNew` on were given by this batch, so nothing in the state
/// refers to them yet and the writers need not look for rows holding them.
struct RecordNumbering {
    var numbers: [RecordRef: Int64] = [:]
    var firstNew = Int64.max

    func isNew(_ number: Int64) -> Bool { number >= firstNew }

    /// The number of a record the batch references (`RecordNumbers.assign` numbered them all).
    func number(_ flow: String, _ side: Side, _ id: String?) throws -> Int64? {
        guard let id else { return nil }
        guard let number = numbers[RecordRef(flow: flow, side: side, id: id)] else {
            throw StoreError.failed(path: "", message: "no record number for \(side.rawValue) \(id) of flow \(flow)")
        }
        return number
    }
}

enum RecordNumbers {
    /// The numbers of `records`, numbering those seen for the first time (in the order given); numbers in
    /// `known` are taken from there instead of searched for.
    static func assign(_ records: [RecordRef], known: RecordNumberCache, in db: Database) throws -> RecordNumbering {
        var idsByScope: [BatchWriter.Scope: [String]] = [:]
        var seen: Set<RecordRef> = []
        for record in records where seen.insert(record).inserted {
            idsByScope[BatchWriter.Scope(flow: record.flow, side: record.side), default: []].append(record.id)
        }
        var numbers = known.numbers(of: seen)
        numbers.reserveCapacity(seen.count)
        var start: Int64?
        var next: Int64?
        for (scope, ids) in idsByScope.sorted(by: { $0.key < $1.key }) {
            // Most records of a batch were numbered before (an edit, the source side of a create): read first,
            // then number only the new ones, from the counter.
            let unknown = ids.filter { numbers[RecordRef(flow: scope.flow, side: scope.side, id: $0)] == nil }
            if unknown.isEmpty { continue }
            try read(unknown, scope: scope, into: &numbers, in: db)
            let new = unknown.filter { numbers[RecordRef(flow: scope.flow, side: scope.side, id: $0)] == nil }
            if new.isEmpty { continue }
            let first = try next ?? counter(in: db)
            start = start ?? first
            let numbered = new.enumerated().map { (id: $0.element, n: first + Int64($0.offset)) }
            try BatchWriter.insertRows(numbered, into: "INSERT INTO record_ids (flow, side, record_id, n)", columns: 4, in: db) { record in
                [scope.flow, scope.side.rawValue, record.id, record.n]
            }
            for record in numbered { numbers[RecordRef(flow: scope.flow, side: scope.side, id: record.id)] = record.n }
            next = first + Int64(new.count)
        }
        if let next { try db.execute(sql: "UPDATE record_numbers SET next = ?", arguments: [next]) }
        return RecordNumbering(numbers: numbers, firstNew: start ?? .max)
    }

    /// The next unused number.
    static func counter(in db: Database) throws -> Int64 {
        guard let next = try Int64.fetchOne(db, sql: "SELECT next FROM record_numbers") else {
            throw StoreError.failed(path: "", message: "the state has no record_numbers row (a damaged schema v2)")
        }
        return next
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
