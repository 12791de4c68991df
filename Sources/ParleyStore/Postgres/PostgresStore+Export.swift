import ParleyCore
import PostgresNIO

extension PostgresStore: StoreExporting {
    public func export(batchSize: Int, _ body: (StoreBatch) async throws -> Void) async throws {
        try await page("SELECT * FROM links ORDER BY flow, left_id COLLATE \"C\", right_id COLLATE \"C\"", batchSize, body) { row, batch in
            batch.links.append(try PostgresRows.link(row))
        }
        try await page("SELECT * FROM cursors ORDER BY flow, side", batchSize, body) { row, batch in
            let (flow, sideText, cursor) = try row.decode((String, String, String).self)
            guard let side = Side(rawValue: sideText) else { throw StoreError.failed(path: description, message: "undecodable cursor row") }
            batch.cursors.append((flow, side, cursor))
        }
        try await page("SELECT * FROM staged ORDER BY flow, side, record_id COLLATE \"C\"", batchSize, body) { row, batch in
            batch.staged.append(try PostgresRows.staged(row))
        }
        try await page(
            "SELECT flow, side, record_id, string_agg(key, chr(31)) FROM record_keys GROUP BY flow, side, record_id ORDER BY flow, side, record_id COLLATE \"C\"",
            batchSize, body
        ) { row, batch in
            let (flow, sideText, id, keys) = try row.decode((String, String, String, String).self)
            guard let side = Side(rawValue: sideText) else { throw StoreError.failed(path: description, message: "undecodable key row") }
            batch.keys.append((flow, side, id, keys.split(separator: "\u{1F}").map(String.init)))
        }
        try await page("SELECT * FROM conflicts ORDER BY id", batchSize, body) { row, batch in
            var conflict = try PostgresRows.conflict(row)
            conflict.id = nil
            batch.conflicts.append(conflict)
        }
        try await page("SELECT * FROM quarantine ORDER BY flow, side, record_id", batchSize, body) { row, batch in
            batch.quarantine.append(try PostgresRows.quarantine(row))
        }
        try await page("SELECT * FROM audit ORDER BY id", batchSize, body) { row, batch in
            var entry = try PostgresRows.audit(row)
            entry.id = nil
            batch.audit.append(entry)
        }
    }

    /// Pages through a query (offline export: OFFSET is fine) and hands each page's batch to `body`.
    private func page(
        _ sql: String, _ size: Int, _ body: (StoreBatch) async throws -> Void, _ add: (PostgresRow, inout StoreBatch) throws -> Void
    ) async throws {
        var offset = 0
        while true {
            var batch = StoreBatch()
            var count = 0
            try await wrap {
                for try await row in try await client.query(PostgresQuery(unsafeSQL: "\(sql) LIMIT \(size) OFFSET \(offset)"), logger: logger) {
                    try add(row, &batch)
                    count += 1
                }
            }
            if count == 0 { break }
            try await body(batch)
            offset += count
        }
    }
}
