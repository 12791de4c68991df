import GRDB
import ParleyCore

/// Writes one `StoreBatch` inside the caller's transaction.
///
/// The cost per record is what bounds the engine, so each part of a batch is written with as few
/// statements as its meaning allows: a link is updated in place when its row already holds its ids and
/// inserted several per statement otherwise,
/// deletes of staged and quarantined records go out as one multi-row statement per flow and side (and
/// not at all when the flow has nothing quarantined), merge keys are compared with what is recorded and
/// only the difference is written, audit rows are inserted several per statement. Every statement is
/// prepared once per connection (`cachedStatement`).
enum BatchWriter {
    /// Most rows per multi-row statement.
    static let rowsPerStatement = 64
    /// Most ids per `IN (...)` list.
    static let idsPerStatement = 512

    /// Returns the numbers of the records the batch references, for the caller to remember once committed.
    static func write(_ batch: StoreBatch, known: RecordNumberCache, in db: Database) throws -> RecordNumbering {
        try removeLinks(batch.removedLinks, in: db)
        let numbers = try RecordNumbers.assign(RecordNumbers.referenced(by: batch), known: known, in: db)
        try writeLinks(batch.links, numbers: numbers, in: db)
        try unstage(batch.unstaged, in: db)
        try stage(batch.staged, in: db)
        try writeKeys(batch.keys, numbers: numbers, in: db)
        try insertConflicts(batch.conflicts, in: db)
        try insertAudit(batch.audit, numbers: numbers, in: db)
        try unquarantine(batch.unquarantine, in: db)
        try quarantine(batch.quarantine, in: db)
        if !batch.cursors.isEmpty {
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO cursors (flow, side, cursor) VALUES (?, ?, ?)")
            for cursor in batch.cursors { try statement.execute(arguments: [cursor.flow, cursor.side.rawValue, cursor.cursor]) }
        }
        return numbers
    }

    // MARK: - Links

    static func removeLinks(_ removed: [(flow: String, leftId: String?, rightId: String?)], in db: Database) throws {
        guard !removed.isEmpty else { return }
        let remove = { (side: Side) in
            try db.cachedStatement(
                sql: "DELETE FROM links WHERE \(RecordNumbers.column(side)) = (SELECT n FROM record_ids WHERE flow = ? AND side = ? AND record_id = ?)")
        }
        let removeLeft = try remove(.left)
        let removeRight = try remove(.right)
        for item in removed {
            if let left = item.leftId { try removeLeft.execute(arguments: [item.flow, Side.left.rawValue, left]) }
            if let right = item.rightId { try removeRight.execute(arguments: [item.flow, Side.right.rawValue, right]) }
        }
    }

    /// Each link replaces whatever row holds either of its ids (so a pending link is completed), the last
    /// link for an id winning, as if each were written in turn. One indexed read finds the rows holding the
    /// batch's ids; a link whose row already holds exactly its two ids (an edit of a linked record) is
    /// updated in place, every other row found is deleted, and the remaining links — new ones, completed
    /// creates — are inserted several per statement. So an onboarding's links cost a few statements per
    /// page instead of a failed update and an insert each.
    static func writeLinks(_ links: [Link], numbers: RecordNumbering, in db: Database) throws {
        guard !links.isEmpty else { return }
        let numbered = try links.map { link in
            NumberedLink(
                link: link, left: try numbers.number(link.flow, .left, link.leftId), right: try numbers.number(link.flow, .right, link.rightId))
        }
        let existing = try rowsHolding(numbered, numbers: numbers, in: db)
        var kept: Set<Int64> = []
        var inserted: [NumberedLink] = []
        let update = try db.cachedStatement(
            sql: "UPDATE links SET state = ?, idem_key = ?, left_shadow = ?, right_shadow = ?, updated_at = ? WHERE rowid = ?")
        let complete = try db.cachedStatement(
            sql: """
                UPDATE links SET left_id = ?, right_id = ?, left_n = ?, right_n = ?, state = ?, idem_key = ?, left_shadow = ?, right_shadow = ?,
                updated_at = ? WHERE rowid = ?
                """)
        for index in links.standingIndices {
            let numberedLink = numbered[index]
            let (link, left, right) = (numberedLink.link, numberedLink.left, numberedLink.right)
            let holderOfLeft = left.flatMap { existing.byLeft[$0] }
            let holderOfRight = right.flatMap { existing.byRight[$0] }
            guard let holder = holderOfLeft ?? holderOfRight else {
                inserted.append(numberedLink)
                continue
            }
            let shadows = link.shadowTexts
            if holder.left == left, holder.right == right {
                kept.insert(holder.rowid)
                try update.execute(arguments: [link.state.rawValue, link.idempotencyKey, shadows.left, shadows.right, link.updatedAtMillis, holder.rowid])
            } else if (holder.left ?? left) == left, (holder.right ?? right) == right, holderOfRight.map({ $0.rowid == holder.rowid }) ?? true {
                // The row holds one of the link's ids and nothing else, and no other row holds the other one (a
                // pending link completed by its create): it takes the other id in place, which no other row can
                // be holding or taking, instead of being deleted and inserted again. (`holder` is the row holding
                // the left id when there is one, so only the right id can be held by another row.)
                kept.insert(holder.rowid)
                try complete.execute(arguments: [
                    link.leftId, link.rightId, left, right, link.state.rawValue, link.idempotencyKey, shadows.left, shadows.right,
                    link.updatedAtMillis, holder.rowid,
                ])
            } else {
                inserted.append(numberedLink)
            }
        }
        let removed = existing.rowids.subtracting(kept).sorted()
        for chunk in powerOfTwoChunks(removed, max: idsPerStatement) {
            let statement = try db.cachedStatement(sql: "DELETE FROM links WHERE rowid IN (\(placeholders(chunk.count)))")
            try statement.execute(arguments: StatementArguments(Array(chunk)))
        }
        try insertRows(
            inserted,
            into: "INSERT INTO links (flow, left_id, right_id, state, idem_key, left_shadow, right_shadow, updated_at, left_n, right_n)", columns: 10, in: db
        ) { numbered in
            let link = numbered.link
            let shadows = link.shadowTexts
            return [
                link.flow, link.leftId, link.rightId, link.state.rawValue, link.idempotencyKey, shadows.left, shadows.right, link.updatedAtMillis,
                numbered.left, numbered.right,
            ]
        }
    }

    struct NumberedLink {
        var link: Link
        var left: Int64?
        var right: Int64?
    }

    /// A link row's rowid and record numbers.
    struct LinkRow {
        var rowid: Int64
        var left: Int64?
        var right: Int64?
    }

    /// Rows holding any left or right record of the links, by each number they hold (records numbered by this
    /// batch are in no row).
    static func rowsHolding(
        _ links: [NumberedLink], numbers: RecordNumbering, in db: Database
    ) throws -> (byLeft: [Int64: LinkRow], byRight: [Int64: LinkRow], rowids: Set<Int64>) {
        var byLeft: [Int64: LinkRow] = [:]
        var byRight: [Int64: LinkRow] = [:]
        var rowids: Set<Int64> = []
        let old = { (number: Int64?) in number.flatMap { numbers.isNew($0) ? nil : $0 } }
        for (column, held) in [("left_n", links.compactMap { old($0.left) }), ("right_n", links.compactMap { old($0.right) })] {
            try forEachRow(matching: held, after: [], in: db, sql: { "SELECT rowid, left_n, right_n FROM links WHERE \(column) IN (\($0))" }) { row in
                let found = LinkRow(rowid: row[0], left: row[1], right: row[2])
                rowids.insert(found.rowid)
                if let left = found.left { byLeft[left] = found }
                if let right = found.right { byRight[right] = found }
            }
        }
        return (byLeft, byRight, rowids)
    }

    // MARK: - Staging

    static func unstage(_ items: [(flow: String, side: Side, id: String)], in db: Database) throws {
        for (scope, ids) in grouped(items) {
            try deleteIds(table: "staged", scope: scope, ids: ids, in: db)
        }
    }

    static func stage(_ records: [StagedRecord], in db: Database) throws {
        guard !records.isEmpty else { return }
        // Rows go in order, several per statement: a record staged twice in one batch ends as its last entry.
        try insertRows(records, into: "INSERT OR REPLACE INTO staged (flow, side, record_id, state, fields, changed_at, reason, related)", columns: 8, in: db) { record in
            [
                record.flow, record.side.rawValue, record.id, record.state.rawValue, record.fields.jsonText,
                record.changedAtMillis, record.reason, record.related.isEmpty ? "[]" : JSONValue.array(record.related.map(JSONValue.string)).jsonText,
            ]
        }
    }

    // MARK: - Merge keys

    /// Replaces the keys recorded for each record (the last entry of a record in the batch wins), writing
    /// only the keys that were added or dropped: an unchanged record costs one indexed read, in bulk.
    static func writeKeys(_ entries: [(flow: String, side: Side, id: String, keys: [String])], numbers: RecordNumbering, in db: Database) throws {
        guard !entries.isEmpty else { return }
        var wanted: [Scope: [String: Set<String>]] = [:]
        var order: [Scope: [String]] = [:]
        for entry in entries {
            let scope = Scope(flow: entry.flow, side: entry.side)
            if wanted[scope, default: [:]].updateValue(Set(entry.keys), forKey: entry.id) == nil {
                order[scope, default: []].append(entry.id)
            }
        }
        let remove = try db.cachedStatement(sql: "DELETE FROM record_keys WHERE flow = ? AND side = ? AND key = ? AND record_id = ?")
        for (scope, ids) in order.sorted(by: { $0.key < $1.key }) {
            guard let targets = wanted[scope] else { continue }
            let existing = try recordedKeys(scope: scope, ids: ids, numbers: numbers, in: db)
            var added: [(key: String, id: String, number: Int64?)] = []
            for id in ids {
                let target = targets[id] ?? []
                let current = existing[id] ?? []
                if target == current { continue }
                for key in current.subtracting(target).sorted() {
                    try remove.execute(arguments: [scope.flow, scope.side.rawValue, key, id])
                }
                let number = try numbers.number(scope.flow, scope.side, id)
                for key in target.subtracting(current).sorted() { added.append((key, id, number)) }
            }
            // The additions, several per statement (they never overlap the removals above).
            try insertRows(added, into: "INSERT OR IGNORE INTO record_keys (flow, side, key, record_id, n)", columns: 5, in: db) { row in
                [scope.flow, scope.side.rawValue, row.key, row.id, row.number]
            }
        }
    }

    static func recordedKeys(scope: Scope, ids: [String], numbers: RecordNumbering, in db: Database) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        // A record numbered by this batch has no keys yet.
        let recordNumbers = try ids.compactMap { try numbers.number(scope.flow, scope.side, $0) }.filter { !numbers.isNew($0) }
        try forEachRow(
            matching: recordNumbers, after: [], in: db,
            sql: { "SELECT record_id, key FROM record_keys INDEXED BY record_keys_by_n WHERE n IN (\($0))" }
        ) { row in
            let id: String = row[0]
            result[id, default: []].insert(row[1])
        }
        return result
    }

    // MARK: - Conflicts, audit, quarantine

    static func insertConflicts(_ conflicts: [ConflictEntry], in db: Database) throws {
        guard !conflicts.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO conflicts (flow, left_id, right_id, property, left_value, right_value, winner, rule, at, resolved)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for conflict in conflicts {
            try statement.execute(arguments: [
                conflict.flow, conflict.leftId, conflict.rightId, conflict.property, conflict.leftValue.json.jsonText,
                conflict.rightValue.json.jsonText, conflict.winner.rawValue, conflict.rule.rawValue, conflict.atMillis,
                conflict.resolved ? 1 : 0,
            ])
        }
    }

    /// Audit rows, several per statement, in the batch's order (ids follow that order).
    static func insertAudit(_ entries: [AuditEntry], numbers: RecordNumbering, in db: Database) throws {
        let rows = try entries.map { entry in
            (entry, try numbers.number(entry.flow, .left, entry.leftId), try numbers.number(entry.flow, .right, entry.rightId))
        }
        try insertRows(
            rows, into: "INSERT INTO audit (at, flow, left_id, right_id, target, action, changes, note, left_n, right_n)", columns: 10, in: db
        ) { entry, left, right in
            [
                entry.atMillis, entry.flow, entry.leftId, entry.rightId, entry.target.rawValue, entry.action.rawValue,
                entry.changes.auditText, entry.note, left, right,
            ]
        }
    }

    /// Unquarantining a record that is not quarantined is the common case (every staged or merged record
    /// asks for it): a flow with nothing in quarantine costs one indexed probe per batch.
    static func unquarantine(_ items: [(flow: String, side: Side, id: String)], in db: Database) throws {
        guard !items.isEmpty else { return }
        let probe = try db.cachedStatement(sql: "SELECT 1 FROM quarantine WHERE flow = ? AND side = ? LIMIT 1")
        for (scope, ids) in grouped(items) {
            guard try Int.fetchOne(probe, arguments: [scope.flow, scope.side.rawValue]) != nil else { continue }
            try deleteIds(table: "quarantine", scope: scope, ids: ids, in: db)
        }
    }

    static func quarantine(_ entries: [QuarantineEntry], in db: Database) throws {
        guard !entries.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO quarantine (flow, side, record_id, reason, attempts, at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (flow, side, record_id) DO UPDATE SET reason = excluded.reason,
                attempts = quarantine.attempts + excluded.attempts, at = excluded.at
                """)
        for entry in entries {
            try statement.execute(arguments: [entry.flow, entry.side.rawValue, entry.id, entry.reason, entry.attempts, entry.atMillis])
        }
    }

    // MARK: - Helpers

    struct Scope: Hashable, Comparable {
        var flow: String
        var side: Side
        static func < (lhs: Scope, rhs: Scope) -> Bool { (lhs.flow, lhs.side.rawValue) < (rhs.flow, rhs.side.rawValue) }
    }

    /// Distinct ids per flow and side, in first-seen order, scopes in a stable order.
    static func grouped(_ items: [(flow: String, side: Side, id: String)]) -> [(Scope, [String])] {
        var ids: [Scope: [String]] = [:]
        var seen: [Scope: Set<String>] = [:]
        for item in items {
            let scope = Scope(flow: item.flow, side: item.side)
            if seen[scope, default: []].insert(item.id).inserted { ids[scope, default: []].append(item.id) }
        }
        return ids.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `DELETE FROM table WHERE flow = ? AND side = ? AND record_id IN (...)`, in chunks.
    static func deleteIds(table: String, scope: Scope, ids: [String], in db: Database) throws {
        for chunk in powerOfTwoChunks(ids, max: idsPerStatement) {
            let statement = try db.cachedStatement(
                sql: "DELETE FROM \(table) WHERE flow = ? AND side = ? AND record_id IN (\(placeholders(chunk.count)))")
            try statement.execute(arguments: StatementArguments([scope.flow, scope.side.rawValue] + chunk))
        }
    }

    /// `head VALUES (…), (…), …` for `rows` in their order, several rows per statement.
    static func insertRows<Row>(
        _ rows: [Row], into head: String, columns: Int, in db: Database, values: (Row) -> [(any DatabaseValueConvertible)?]
    ) throws {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        for chunk in powerOfTwoChunks(rows, max: rowsPerStatement) {
            let statement = try db.cachedStatement(sql: head + " VALUES " + Array(repeating: row, count: chunk.count).joined(separator: ", "))
            var arguments: [(any DatabaseValueConvertible)?] = []
            arguments.reserveCapacity(chunk.count * columns)
            for element in chunk { arguments += values(element) }
            try statement.execute(arguments: StatementArguments(arguments))
        }
    }

    /// Runs `sql` (given the placeholders of an `IN (…)` list) over `ids` in chunks, the `after` arguments first,
    /// and hands every row to `body`.
    static func forEachRow<Value: DatabaseValueConvertible>(
        matching ids: [Value], after leading: [String], in db: Database, sql: (String) -> String, _ body: (Row) throws -> Void
    ) throws {
        for chunk in powerOfTwoChunks(ids, max: idsPerStatement) {
            let statement = try db.cachedStatement(sql: sql(placeholders(chunk.count)))
            var arguments: [(any DatabaseValueConvertible)?] = leading.map { $0 }
            arguments.reserveCapacity(leading.count + chunk.count)
            for id in chunk { arguments.append(id) }
            let rows = try Row.fetchCursor(statement, arguments: StatementArguments(arguments))
            while let row = try rows.next() { try body(row) }
        }
    }

    /// Consecutive slices whose sizes are powers of two (at most `max`), so that multi-row statements come
    /// in a handful of shapes and each is prepared once per connection.
    static func powerOfTwoChunks<Element>(_ elements: [Element], max: Int) -> [ArraySlice<Element>] {
        var chunks: [ArraySlice<Element>] = []
        var start = 0
        while start < elements.count {
            var size = max
            while size > elements.count - start { size /= 2 }
            chunks.append(elements[start..<start + size])
            start += size
        }
        return chunks
    }
}
