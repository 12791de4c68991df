import GRDB
import ParleyCore

/// Writes one `StoreBatch` inside the caller's transaction, with prepared statements reused per table.
enum BatchWriter {
    static func write(_ batch: StoreBatch, in db: Database) throws {
        if !batch.removedLinks.isEmpty || !batch.links.isEmpty {
            let removeLeft = try db.cachedStatement(sql: "DELETE FROM links WHERE flow = ? AND left_id = ?")
            let removeRight = try db.cachedStatement(sql: "DELETE FROM links WHERE flow = ? AND right_id = ?")
            for removed in batch.removedLinks {
                if let left = removed.leftId { try removeLeft.execute(arguments: [removed.flow, left]) }
                if let right = removed.rightId { try removeRight.execute(arguments: [removed.flow, right]) }
            }
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO links (flow, left_id, right_id, state, idem_key, left_shadow, right_shadow, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for link in batch.links {
                // Replace whatever row holds either id, so a pending link is completed in place.
                if let left = link.leftId { try removeLeft.execute(arguments: [link.flow, left]) }
                if let right = link.rightId { try removeRight.execute(arguments: [link.flow, right]) }
                try insert.execute(arguments: [
                    link.flow, link.leftId, link.rightId, link.state.rawValue, link.idempotencyKey,
                    link.leftShadow.shadowJSON.jsonText, link.rightShadow.shadowJSON.jsonText, link.updatedAtMillis,
                ])
            }
        }
        if !batch.unstaged.isEmpty {
            let statement = try db.cachedStatement(sql: "DELETE FROM staged WHERE flow = ? AND side = ? AND record_id = ?")
            for item in batch.unstaged { try statement.execute(arguments: [item.flow, item.side.rawValue, item.id]) }
        }
        if !batch.staged.isEmpty {
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO staged (flow, side, record_id, state, fields, changed_at, reason, related)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for record in batch.staged {
                try statement.execute(arguments: [
                    record.flow, record.side.rawValue, record.id, record.state.rawValue, record.fields.jsonText,
                    record.changedAtMillis, record.reason, JSONValue.array(record.related.map(JSONValue.string)).jsonText,
                ])
            }
        }
        if !batch.keys.isEmpty {
            let clear = try db.cachedStatement(sql: "DELETE FROM record_keys WHERE flow = ? AND side = ? AND record_id = ?")
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO record_keys (flow, side, key, record_id) VALUES (?, ?, ?, ?)")
            for entry in batch.keys {
                try clear.execute(arguments: [entry.flow, entry.side.rawValue, entry.id])
                for key in entry.keys { try insert.execute(arguments: [entry.flow, entry.side.rawValue, key, entry.id]) }
            }
        }
        if !batch.conflicts.isEmpty {
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO conflicts (flow, left_id, right_id, property, left_value, right_value, winner, rule, at, resolved)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for conflict in batch.conflicts {
                try statement.execute(arguments: [
                    conflict.flow, conflict.leftId, conflict.rightId, conflict.property, conflict.leftValue.json.jsonText,
                    conflict.rightValue.json.jsonText, conflict.winner.rawValue, conflict.rule.rawValue, conflict.atMillis,
                    conflict.resolved ? 1 : 0,
                ])
            }
        }
        if !batch.audit.isEmpty {
            let statement = try db.cachedStatement(
                sql: "INSERT INTO audit (at, flow, left_id, right_id, target, action, changes, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for entry in batch.audit {
                try statement.execute(arguments: [
                    entry.atMillis, entry.flow, entry.leftId, entry.rightId, entry.target.rawValue, entry.action.rawValue,
                    RowDecoding.changesJSON(entry.changes).jsonText, entry.note,
                ])
            }
        }
        if !batch.unquarantine.isEmpty {
            let statement = try db.cachedStatement(sql: "DELETE FROM quarantine WHERE flow = ? AND side = ? AND record_id = ?")
            for item in batch.unquarantine { try statement.execute(arguments: [item.flow, item.side.rawValue, item.id]) }
        }
        if !batch.quarantine.isEmpty {
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO quarantine (flow, side, record_id, reason, attempts, at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (flow, side, record_id) DO UPDATE SET reason = excluded.reason,
                    attempts = quarantine.attempts + excluded.attempts, at = excluded.at
                    """)
            for entry in batch.quarantine {
                try statement.execute(arguments: [entry.flow, entry.side.rawValue, entry.id, entry.reason, entry.attempts, entry.atMillis])
            }
        }
        if !batch.cursors.isEmpty {
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO cursors (flow, side, cursor) VALUES (?, ?, ?)")
            for cursor in batch.cursors { try statement.execute(arguments: [cursor.flow, cursor.side.rawValue, cursor.cursor]) }
        }
    }
}
