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
        for link in batch.links {
            // Replace whatever row holds either id, so a pending link is completed in place.
            try await connection.query(
                "DELETE FROM links WHERE flow = \(link.flow) AND (left_id = \(link.leftId) OR right_id = \(link.rightId))", logger: logger)
            try await connection.query(
                """
                INSERT INTO links (flow, left_id, right_id, state, idem_key, left_shadow, right_shadow, updated_at)
                VALUES (\(link.flow), \(link.leftId), \(link.rightId), \(link.state.rawValue), \(link.idempotencyKey),
                        \(link.leftShadow.shadowJSON.jsonText), \(link.rightShadow.shadowJSON.jsonText), \(link.updatedAtMillis))
                """, logger: logger)
        }
        for item in batch.unstaged {
            try await connection.query("DELETE FROM staged WHERE flow = \(item.flow) AND side = \(item.side.rawValue) AND record_id = \(item.id)", logger: logger)
        }
        for record in batch.staged {
            let related = JSONValue.array(record.related.map(JSONValue.string)).jsonText
            try await connection.query(
                """
                INSERT INTO staged (flow, side, record_id, state, fields, changed_at, reason, related)
                VALUES (\(record.flow), \(record.side.rawValue), \(record.id), \(record.state.rawValue), \(record.fields.jsonText),
                        \(record.changedAtMillis), \(record.reason), \(related))
                ON CONFLICT (flow, side, record_id) DO UPDATE SET state = excluded.state, fields = excluded.fields,
                    changed_at = excluded.changed_at, reason = excluded.reason, related = excluded.related
                """, logger: logger)
        }
        for entry in batch.keys {
            try await connection.query(
                "DELETE FROM record_keys WHERE flow = \(entry.flow) AND side = \(entry.side.rawValue) AND record_id = \(entry.id)", logger: logger)
            for key in entry.keys {
                try await connection.query(
                    """
                    INSERT INTO record_keys (flow, side, key, record_id) VALUES (\(entry.flow), \(entry.side.rawValue), \(key), \(entry.id))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
        }
        for conflict in batch.conflicts {
            try await connection.query(
                """
                INSERT INTO conflicts (flow, left_id, right_id, property, left_value, right_value, winner, rule, at, resolved)
                VALUES (\(conflict.flow), \(conflict.leftId), \(conflict.rightId), \(conflict.property), \(conflict.leftValue.json.jsonText),
                        \(conflict.rightValue.json.jsonText), \(conflict.winner.rawValue), \(conflict.rule.rawValue), \(conflict.atMillis), \(conflict.resolved))
                """, logger: logger)
        }
        for entry in batch.audit {
            try await connection.query(
                """
                INSERT INTO audit (at, flow, left_id, right_id, target, action, changes, note)
                VALUES (\(entry.atMillis), \(entry.flow), \(entry.leftId), \(entry.rightId), \(entry.target.rawValue), \(entry.action.rawValue),
                        \(RowDecoding.changesJSON(entry.changes).jsonText), \(entry.note))
                """, logger: logger)
        }
        for item in batch.unquarantine {
            try await connection.query("DELETE FROM quarantine WHERE flow = \(item.flow) AND side = \(item.side.rawValue) AND record_id = \(item.id)", logger: logger)
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
        for cursor in batch.cursors {
            try await connection.query(
                """
                INSERT INTO cursors (flow, side, cursor) VALUES (\(cursor.flow), \(cursor.side.rawValue), \(cursor.cursor))
                ON CONFLICT (flow, side) DO UPDATE SET cursor = excluded.cursor
                """, logger: logger)
        }
    }
}
