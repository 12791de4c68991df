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
    /// The numbers this batch read from `record_ids` or gave: those the cache did not hold yet.
    var learned: [(key: RecordRef, value: Int64)] = []

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
        var numbering = RecordNumbering()
        numbering.numbers.reserveCapacity(records.count)
        // Each distinct record once, in first-seen order: numbered from the cache, or left to look up.
        var unknownByScope: [BatchWriter.Scope: [String]] = [:]
        var unknown: Set<RecordRef> = []
        known.lookUp(records) { record, cached in
            if let cached {
                numbering.numbers[record] = cached
            } else if unknown.insert(record).inserted {
                unknownByScope[BatchWriter.Scope(flow: record.flow, side: record.side), default: []].append(record.id)
            }
        }
        var next: Int64?
        for (scope, ids) in unknownByScope.sorted(by: { $0.key < $1.key }) {
            // Most records of a batch were numbered before (an edit, the source side of a create): read first,
            // then number only the new ones, from the counter.
            let found = try read(ids, scope: scope, in: db)
            let new = ids.filter { found[$0] == nil }
            for (id, number) in found { numbering.learned.append((RecordRef(flow: scope.flow, side: scope.side, id: id), number)) }
            if !new.isEmpty {
                let first = try next ?? counter(in: db)
                numbering.firstNew = min(numbering.firstNew, first)
                let numbered = new.enumerated().map { (id: $0.element, n: first + Int64($0.offset)) }
                try BatchWriter.insertRows(numbered, into: "INSERT INTO record_ids (flow, side, record_id, n)", columns: 4, in: db) { record in
                    [scope.flow, scope.side.rawValue, record.id, record.n]
                }
                for record in numbered { numbering.learned.append((RecordRef(flow: scope.flow, side: scope.side, id: record.id), record.n)) }
                next = first + Int64(new.count)
            }
        }
        for (record, number) in numbering.learned { numbering.numbers[record] = number }
        if let next { try db.execute(sql: "UPDATE record_numbers SET next = ?", arguments: [next]) }
        return numbering
    }

    /// The next unused number.
    static func counter(in db: Database) throws -> Int64 {
        guard let next = try Int64.fetchOne(db, sql: "SELECT next FROM record_numbers") else {
            throw StoreError.failed(path: "", message: "the state has no record_numbers row (a damaged schema v2)")
        }
        return next
    }

    static func read(_ ids: [String], scope: BatchWriter.Scope, in db: Database) throws -> [String: Int64] {
        var found: [String: Int64] = [:]
        try BatchWriter.forEachRow(
            matching: ids, after: [scope.flow, scope.side.rawValue], in: db,
            sql: { "SELECT record_id, n FROM record_ids WHERE flow = ? AND side = ? AND record_id IN (\($0))" }
        ) { row in
            found[row[0]] = row[1]
        }
        return found
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
