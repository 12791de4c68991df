import ParleyConfig
import ParleyCore

/// The cursor of a table read by its change marker.
///
/// - `after(marker, id)`: the last row read; the next rows come strictly after it in `(marker, id)` order,
///   so rows sharing a time stamp across a page boundary are never skipped.
/// - `window(from:)`: a pass ended while its newest rows were still recent. Rows stamped within the overlap
///   window before the end of a read may still be committed by a slower transaction with an older stamp, so
///   the next pass reads everything from `now - overlap` (as the read ended) again; processing is idempotent.
///   Once the newest row is older than that, the cursor is strict again and quiet tables are not re-read.
enum MarkerCursor {
    case after(marker: SQLValue, id: SQLValue)
    case window(fromMillis: Int64)

    init?(_ text: String) {
        guard let json = try? JSONValue.parse(text), case .object(let object) = json else { return nil }
        if let from = object["from"]?.int64Value {
            self = .window(fromMillis: from)
        } else if let marker = object["m"].flatMap(Self.value), let id = object["id"].flatMap(Self.value) {
            self = .after(marker: marker, id: id)
        } else {
            return nil
        }
    }

    var text: String {
        switch self {
        case .after(let marker, let id): JSONValue.object(["m": Self.json(marker), "id": Self.json(id)]).jsonText
        case .window(let from): JSONValue.object(["from": .int64(from)]).jsonText
        }
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
        let ordered = orderedMarker(marker)
        switch cursor {
        case nil:
            // Rows without a marker cannot be placed in the order; they are never read.
            statement += " WHERE \(marker.column.quoted) IS NOT NULL"
        case .after(let value, let id):
            statement += " WHERE (\(ordered) > "
            bindMarker(&statement, value, marker: marker)
            statement += " OR (\(ordered) = "
            bindMarker(&statement, value, marker: marker)
            statement += " AND \(table.settings.idColumn.quoted) > "
            statement.bind(id)
            statement += "))"
        case .window(let from):
            statement += " WHERE \(ordered) >= "
            bindMarker(&statement, time(from, marker: marker), marker: marker)
        }
        statement += " ORDER BY \(ordered), \(table.settings.idColumn.quoted) LIMIT "
        statement.bind(.integer(Int64(pageSize)))
        let readAt = now()
        let rows = try await database.rows(statement)
        let items = rows.map(table.item)
        if rows.count == pageSize, let last = rows.last.flatMap(table.position) {
            return ChangePage(items: items, next: MarkerCursor.after(marker: last.marker, id: last.id).text, hasMore: true)
        }
        // The end: strict after the newest row when it is older than the overlap window, else the window.
        let threshold = readAt - Int64(settings.overlapMillis)
        let newest: (marker: SQLValue, id: SQLValue)? = rows.last.flatMap(table.position) ?? {
            if case .after(let value, let id) = cursor { return (value, id) }
            return nil
        }()
        if let newest, let millis = SQLTable.millis(newest.marker, kind: marker.kind), millis < threshold {
            return ChangePage(items: items, next: MarkerCursor.after(marker: newest.marker, id: newest.id).text, hasMore: false)
        }
        if newest == nil, cursor == nil {
            return ChangePage(items: items, next: "{}", hasMore: false)
        }
        var from = threshold
        if case .window(let previous) = cursor, rows.isEmpty { from = max(previous, threshold) }
        return ChangePage(items: items, next: MarkerCursor.window(fromMillis: from).text, hasMore: false)
    }

    /// The marker as rows are ordered by: SQLite text time stamps through `julianday()`, so any format it
    /// reads orders correctly.
    private func orderedMarker(_ marker: SQLDatatypeSettings.ChangeMarker) -> String {
        database.dialect == .sqlite && marker.kind == .datetime ? "julianday(\(marker.column.quoted))" : marker.column.quoted
    }

    private func bindMarker(_ statement: inout SQLStatement, _ value: SQLValue, marker: SQLDatatypeSettings.ChangeMarker) {
        switch (database.dialect, marker.kind) {
        case (.sqlite, .datetime):
            statement += "julianday("
            statement.bind(value)
            statement += ")"
        case (.postgres, .datetime):
            statement += "CAST("
            statement.bind(value)
            statement += " AS timestamptz)"
        default:
            statement.bind(value)
        }
    }

    /// A time as the marker column holds it.
    private func time(_ millis: Int64, marker: SQLDatatypeSettings.ChangeMarker) -> SQLValue {
        marker.kind == .epochMillis ? .integer(millis) : .text(Timestamps.rfc3339(millis: millis))
    }
}
