import ParleyConfig
import ParleyCore

/// The cursor of a table read by its change marker: the last row's `(marker, id)` while a pass pages
/// through, or the last marker with `rewind` once it reached the end — the next pass then starts the
/// overlap window before it, so rows committed late with an older marker are read again, never skipped.
struct MarkerCursor {
    var marker: SQLValue
    var id: SQLValue?
    var rewind: Bool

    init(marker: SQLValue, id: SQLValue?, rewind: Bool) {
        self.marker = marker
        self.id = id
        self.rewind = rewind
    }

    init?(_ text: String) {
        guard let json = try? JSONValue.parse(text), case .object(let object) = json, let marker = object["m"].flatMap(Self.value) else { return nil }
        self.init(marker: marker, id: object["id"].flatMap(Self.value), rewind: object["rewind"]?.boolValue ?? false)
    }

    var text: String {
        var object: [String: JSONValue] = ["m": Self.json(marker)]
        if let id { object["id"] = Self.json(id) }
        if rewind { object["rewind"] = .bool(true) }
        return JSONValue.object(object).jsonText
    }

    static func json(_ value: SQLValue) -> JSONValue {
        switch value {
        case .null: .null
        case .integer(let number): .int64(number)
        case .real(let number): .number("\(number)")
        case .text(let text): .string(text)
        }
    }

    static func value(_ json: JSONValue) -> SQLValue? {
        switch json {
        case .string(let text): .text(text)
        case .number(let text): Int64(text).map(SQLValue.integer) ?? Double(text).map(SQLValue.real)
        default: nil
        }
    }
}

extension SQLConnector {
    /// One page of changes in `(marker, id)` order.
    func markerChanges(_ table: SQLTable, marker: SQLDatatypeSettings.ChangeMarker, cursor text: String?, limit: Int) async throws -> ChangePage {
        var cursor: MarkerCursor?
        if let text, text != "{}", !text.isEmpty {
            guard let parsed = MarkerCursor(text) else {
                throw ConnectorError.invalidResponse(
                    system: system, message: "\(table.name): cursor is not a change-marker cursor (was change detection reconfigured? reset the flow's cursor)")
            }
            cursor = parsed
        }
        let pageSize = max(1, min(limit, table.settings.pageSize))
        var statement = SQLStatement(database.dialect, "SELECT \(table.selectList) FROM \(table.settings.readFrom.quoted)")
        let column = marker.column.quoted
        let idColumn = table.settings.idColumn.quoted
        let sqliteDatetime = database.dialect == .sqlite && marker.kind == .datetime
        let ordered = sqliteDatetime ? "julianday(\(column))" : column
        if let cursor {
            statement += " WHERE "
            if cursor.rewind {
                appendRewound(&statement, marker: marker, ordered: ordered, from: cursor.marker)
            } else {
                let bound = { (statement: inout SQLStatement) in
                    if sqliteDatetime {
                        statement += "julianday("
                        statement.bind(cursor.marker)
                        statement += ")"
                    } else {
                        statement.bind(cursor.marker)
                    }
                }
                statement += "(\(ordered) > "
                bound(&statement)
                statement += " OR (\(ordered) = "
                bound(&statement)
                statement += " AND \(idColumn) > "
                statement.bind(cursor.id ?? .null)
                statement += "))"
            }
        }
        statement += " ORDER BY \(ordered), \(idColumn) LIMIT "
        statement.bind(.integer(Int64(pageSize)))
        let rows = try await database.rows(statement)
        let items = rows.map(table.item)
        guard let last = rows.last.flatMap(table.position) else {
            // Nothing (more): keep the position, starting the next pass at the overlap window.
            let next = cursor.map { MarkerCursor(marker: $0.marker, id: nil, rewind: true).text }
            return ChangePage(items: items, next: next ?? "{}", hasMore: false)
        }
        if rows.count < pageSize {
            return ChangePage(items: items, next: MarkerCursor(marker: last.marker, id: nil, rewind: true).text, hasMore: false)
        }
        return ChangePage(items: items, next: MarkerCursor(marker: last.marker, id: last.id, rewind: false).text, hasMore: true)
    }

    /// `marker >= last - overlap`, in the database's own arithmetic.
    private func appendRewound(_ statement: inout SQLStatement, marker: SQLDatatypeSettings.ChangeMarker, ordered: String, from value: SQLValue) {
        let overlap = Int64(settings.overlapMillis)
        switch (database.dialect, marker.kind) {
        case (.postgres, .datetime):
            statement += "\(marker.column.quoted) >= CAST("
            statement.bind(value)
            statement += " AS timestamptz) - CAST("
            statement.bind(.text("\(overlap) milliseconds"))
            statement += " AS interval)"
        case (.sqlite, .datetime):
            statement += "\(ordered) >= julianday("
            statement.bind(value)
            statement += ") - "
            statement.bind(.real(Double(overlap) / 86_400_000))
        case (_, .epochMillis):
            let millis = SQLTable.millis(value, kind: .epochMillis) ?? 0
            statement += "\(marker.column.quoted) >= "
            statement.bind(.integer(millis - overlap))
        }
    }
}
