import Logging
import ParleyCore
import PostgresNIO

/// Writes one `StoreBatch` on a connection inside the caller's transaction.
enum PostgresBatchWriter {
    static func write(_ batch: StoreBatch, on connection: PostgresConnection, logger: Logger) async throws {
        for removed in batch.removedLinks {
            if let left = removed.leftId { try await connection.query("DELETE FROM links WHERE flow = \(removed.flow) AND left_id = \(left)", logger: logger) }
            if let right = removed.rightId { try await connection.query("DELETE FROM links WHERE flow = \(removed.flow) AND right_id = \(right)", logger: logger) }
        }
        try await writeLinks(batch.links, on: connection, logger: logger)
        for (scope, ids) in BatchWriter.grouped(batch.unstaged) {
            try await connection.query(
                "DELETE FROM staged WHERE flow = \(scope.flow) AND side = \(scope.side.rawValue) AND record_id = ANY(\(ids))", logger: logger)
        }
        // The last representation of a record wins, as if the rows were written one by one.
        let staged = lastOfEach(batch.staged) { "\($0.flow)\u{1F}\($0.side.rawValue)\u{1F}\($0.id)" }
        for chunk in chunks(staged, of: 400) {
            var binds = PostgresBindings(capacity: chunk.count * 8)
            for record in chunk {
                binds.append(record.flow)
                binds.append(record.side.rawValue)
                binds.append(record.id)
                binds.append(record.state.rawValue)
                binds.append(record.fields.jsonText)
                binds.append(record.changedAtMillis)
                binds.append(record.reason)
                binds.append(JSONValue.array(record.related.map(JSONValue.string)).jsonText)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO staged (flow, side, record_id, state, fields, changed_at, reason, related)
                VALUES \(placeholders(rows: chunk.count, width: 8))
                ON CONFLICT (flow, side, record_id) DO UPDATE SET state = excluded.state, fields = excluded.fields,
                    changed_at = excluded.changed_at, reason = excluded.reason, related = excluded.related
                """, binds: binds), logger: logger)
        }
        let keyEntries = lastOfEach(batch.keys.map { (flow: $0.flow, side: $0.side, id: $0.id, keys: $0.keys) }) {
            "\($0.flow)\u{1F}\($0.side.rawValue)\u{1F}\($0.id)"
        }
        for (scope, ids) in BatchWriter.grouped(keyEntries.map { (flow: $0.flow, side: $0.side, id: $0.id) }) {
            try await connection.query(
                "DELETE FROM record_keys WHERE flow = \(scope.flow) AND side = \(scope.side.rawValue) AND record_id = ANY(\(ids))", logger: logger)
        }
        let keyRows = keyEntries.flatMap { entry in Set(entry.keys).sorted().map { (entry.flow, entry.side.rawValue, $0, entry.id) } }
        for chunk in chunks(keyRows, of: 1000) {
            var binds = PostgresBindings(capacity: chunk.count * 4)
            for row in chunk {
                binds.append(row.0)
                binds.append(row.1)
                binds.append(row.2)
                binds.append(row.3)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO record_keys (flow, side, key, record_id) VALUES \(placeholders(rows: chunk.count, width: 4)) ON CONFLICT DO NOTHING
                """, binds: binds), logger: logger)
        }
        for conflict in batch.conflicts {
            try await connection.query(
                """
                INSERT INTO conflicts (flow, left_id, right_id, property, left_value, right_value, winner, rule, at, resolved)
                VALUES (\(conflict.flow), \(conflict.leftId), \(conflict.rightId), \(conflict.property), \(conflict.leftValue.json.jsonText),
                        \(conflict.rightValue.json.jsonText), \(conflict.winner.rawValue), \(conflict.rule.rawValue), \(conflict.atMillis), \(conflict.resolved))
                """, logger: logger)
        }
        for chunk in chunks(batch.audit, of: 500) {
            var binds = PostgresBindings(capacity: chunk.count * 8)
            for entry in chunk {
                binds.append(entry.atMillis)
                binds.append(entry.flow)
                binds.append(entry.leftId)
                binds.append(entry.rightId)
                binds.append(entry.target.rawValue)
                binds.append(entry.action.rawValue)
                binds.append(RowDecoding.changesJSON(entry.changes).jsonText)
                binds.append(entry.note)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO audit (at, flow, left_id, right_id, target, action, changes, note) VALUES \(placeholders(rows: chunk.count, width: 8))
                """, binds: binds), logger: logger)
        }
        for (scope, ids) in BatchWriter.grouped(batch.unquarantine) {
            try await connection.query(
                "DELETE FROM quarantine WHERE flow = \(scope.flow) AND side = \(scope.side.rawValue) AND record_id = ANY(\(ids))", logger: logger)
        }
        for entry in batch.quarantine {
            try await connection.query(
                """
                INSERT INTO quarantine (flow, side, record_id, reason, attempts, at)
                VALUES (\(entry.flow), \(entry.side.rawValue), \(entry.id), \(entry.reason), \(entry.attempts), \(entry.atMillis))
                ON CONFLICT (flow, side, record_id) DO UPDATE SET reason = excluded.reason,
                    attempts = quarantine.attempts + excluded.attempts, at = excluded.at
                """, logger: logger)
        }
        // All cursors in one statement (one round trip); the last one for a flow's side wins, as if written in turn.
        let cursors = lastOfEach(batch.cursors) { "\($0.flow)\u{1F}\($0.side.rawValue)" }
        if !cursors.isEmpty {
            var binds = PostgresBindings(capacity: cursors.count * 3)
            for cursor in cursors {
                binds.append(cursor.flow)
                binds.append(cursor.side.rawValue)
                binds.append(cursor.cursor)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO cursors (flow, side, cursor) VALUES \(placeholders(rows: cursors.count, width: 3))
                ON CONFLICT (flow, side) DO UPDATE SET cursor = excluded.cursor
                """, binds: binds), logger: logger)
        }
    }

    /// Links replace whatever row holds either of their ids (so a pending link is completed in place): all
    /// such rows go in one statement, then the batch's links — the last one for an id winning, as if each
    /// were written in turn — in another.
    static func writeLinks(_ links: [Link], on connection: PostgresConnection, logger: Logger) async throws {
        if links.isEmpty { return }
        let final = links.withoutReplaced
        for flow in Set(links.map(\.flow)).sorted() {
            let lefts = links.filter { $0.flow == flow }.compactMap(\.leftId)
            let rights = links.filter { $0.flow == flow }.compactMap(\.rightId)
            try await connection.query(
                "DELETE FROM links WHERE flow = \(flow) AND (left_id = ANY(\(lefts)) OR right_id = ANY(\(rights)))", logger: logger)
        }
        for chunk in chunks(final, of: 400) {
            var binds = PostgresBindings(capacity: chunk.count * 8)
            for link in chunk {
                binds.append(link.flow)
                binds.append(link.leftId)
                binds.append(link.rightId)
                binds.append(link.state.rawValue)
                binds.append(link.idempotencyKey)
                let shadows = link.shadowTexts
                binds.append(shadows.left)
                binds.append(shadows.right)
                binds.append(link.updatedAtMillis)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO links (flow, left_id, right_id, state, idem_key, left_shadow, right_shadow, updated_at)
                VALUES \(placeholders(rows: chunk.count, width: 8))
                """, binds: binds), logger: logger)
        }
    }

    /// `($1, $2), ($3, $4)` for rows × width parameters.
    static func placeholders(rows: Int, width: Int) -> String {
        (0..<rows).map { row in "(" + (1...width).map { "$\(row * width + $0)" }.joined(separator: ", ") + ")" }.joined(separator: ", ")
    }

    static func chunks<T>(_ items: [T], of size: Int) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }

    /// The last element for each key, in the order of those last occurrences.
    static func lastOfEach<T>(_ items: [T], key: (T) -> String) -> [T] {
        var last: [String: Int] = [:]
        for (index, item) in items.enumerated() { last[key(item)] = index }
        return items.enumerated().filter { last[key($0.element)] == $0.offset }.map(\.element)
    }
}
