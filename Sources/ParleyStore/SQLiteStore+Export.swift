import GRDB
import ParleyCore

extension SQLiteStore: StoreExporting {
    public func export(batchSize: Int, _ body: (StoreBatch) async throws -> Void) async throws {
        for table in ExportTable.allCases {
            if table == .record_keys {
                try await exportKeys(batchSize: batchSize, body)
                continue
            }
            var lastRowID: Int64 = 0
            while true {
                let after = lastRowID
                let (batch, last): (StoreBatch, Int64?) = try await read { db in
                    // Table columns first: the link and staged decoders read by position.
                    let rows = try Row.fetchAll(
                        db, sql: "SELECT *, rowid AS parley_rowid FROM \(table.rawValue) WHERE rowid > ? ORDER BY rowid LIMIT ?",
                        arguments: [after, batchSize])
                    var batch = StoreBatch()
                    for row in rows { try table.add(row, to: &batch) }
                    return (batch, rows.last?["parley_rowid"])
                }
                guard let last else { break }
                try await body(batch)
                lastRowID = last
            }
        }
    }
}

extension SQLiteStore {
    /// Merge keys grouped per record, since a batch's keys replace what a record had; page by page in the order
    /// of the records' numbers (the `record_keys_by_n` index), each page starting after the last number.
    func exportKeys(batchSize: Int, _ body: (StoreBatch) async throws -> Void) async throws {
        var lastNumber: Int64 = 0
        while true {
            let after = lastNumber
            let (batch, last): (StoreBatch, Int64?) = try await read { db in
                var batch = StoreBatch()
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT n, flow, side, record_id, group_concat(key, char(31)) AS keys FROM record_keys INDEXED BY record_keys_by_n
                        WHERE n > ? GROUP BY n ORDER BY n LIMIT ?
                        """,
                    arguments: [after, batchSize])
                for row in rows {
                    guard let side = Side(rawValue: row["side"]) else { throw StoreError.failed(path: "", message: "undecodable key row") }
                    let keys: String = row["keys"]
                    batch.keys.append((row["flow"], side, row["record_id"], keys.split(separator: "\u{1F}").map(String.init)))
                }
                return (batch, rows.last?["n"])
            }
            guard let last else { break }
            try await body(batch)
            lastNumber = last
        }
    }
}

/// The tables, in an order that imports cleanly.
enum ExportTable: String, CaseIterable {
    case links, cursors, staged, record_keys, conflicts, quarantine, audit

    func add(_ row: Row, to batch: inout StoreBatch) throws {
        switch self {
        case .links: batch.links.append(try RowDecoding.link(row))
        case .cursors:
            guard let side = Side(rawValue: row["side"]) else { throw StoreError.failed(path: "", message: "undecodable cursor row") }
            batch.cursors.append((row["flow"], side, row["cursor"]))
        case .staged: batch.staged.append(try RowDecoding.staged(row))
        case .record_keys:
            break  // exported grouped per record by exportKeys
        case .conflicts:
            var conflict = try RowDecoding.conflict(row)
            conflict.id = nil
            batch.conflicts.append(conflict)
        case .quarantine: batch.quarantine.append(try RowDecoding.quarantine(row))
        case .audit:
            var entry = try RowDecoding.audit(row)
            entry.id = nil
            batch.audit.append(entry)
        }
    }
}
