import GRDB

/// Row-level SQL for one collection table; every function runs inside the caller's transaction.
struct RecordTable: Sendable {
    let datatype: DatatypeDefinition
    private let table: String
    private let insertSQL: String
    private let updateSQL: String

    init(datatype: DatatypeDefinition) {
        self.datatype = datatype
        let table = datatype.collection.quotedIdentifier
        let uniqueColumns = datatype.uniqueProperties.map(\.uniqueColumn)
        let insertColumns = ["id", "seq", "version", "deleted", "marker_ms", "body"] + uniqueColumns
        let placeholders = Array(repeating: "?", count: insertColumns.count).joined(separator: ", ")
        self.table = table
        self.insertSQL = "INSERT INTO \(table) (\(insertColumns.map(\.quotedIdentifier).joined(separator: ", "))) VALUES (\(placeholders))"
        let assignments = (["seq", "version", "deleted", "marker_ms", "body"] + uniqueColumns)
            .map { "\($0.quotedIdentifier) = ?" }.joined(separator: ", ")
        self.updateSQL = "UPDATE \(table) SET \(assignments) WHERE id = ?"
    }

    func load(_ db: Database, id: RecordID) throws -> StoredRecord? {
        let row = try Row.fetchOne(
            db, sql: "SELECT id, seq, version, deleted, marker_ms, body FROM \(table) WHERE id = ?",
            arguments: [id.databaseValue]
        )
        return try row.map(decode)
    }

    func page(_ db: Database, after seq: Int64, limit: Int) throws -> [StoredRecord] {
        try Row.fetchAll(
            db, sql: "SELECT id, seq, version, deleted, marker_ms, body FROM \(table) WHERE seq > ? ORDER BY seq LIMIT ?",
            arguments: [seq, limit]
        ).map(decode)
    }

    func isLive(_ db: Database, id: RecordID) throws -> Bool? {
        try Bool.fetchOne(db, sql: "SELECT deleted = 0 FROM \(table) WHERE id = ?", arguments: [id.databaseValue])
    }

    /// The id of another live record that already holds `value` for a unique property.
    func holder(_ db: Database, of property: PropertyDefinition, value: String, excluding id: RecordID?) throws -> RecordID? {
        let column = property.uniqueColumn.quotedIdentifier
        let row = try Row.fetchOne(
            db, sql: "SELECT id FROM \(table) WHERE \(column) = ? AND deleted = 0 AND id IS NOT ? LIMIT 1",
            arguments: [value, id?.databaseValue]
        )
        return try row.map { try decodeID($0["id"]) }
    }

    func countLive(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE deleted = 0") ?? 0
    }

    /// Inserts a new live record; returns its id (the database assigns integer ids).
    func insert(_ db: Database, id: RecordID?, seq: Int64, markerMilliseconds: Int64, values: FlatValues) throws -> RecordID {
        var arguments: [(any DatabaseValueConvertible)?] = [id?.databaseValue, seq, 1, 0, markerMilliseconds, encodeBody(values)]
        arguments += datatype.uniqueProperties.map { values[$0.name]?.stringValue }
        try db.cachedStatement(sql: insertSQL).execute(arguments: StatementArguments(arguments))
        return id ?? .integer(db.lastInsertedRowID)
    }

    func update(_ db: Database, record: StoredRecord) throws {
        var arguments: [(any DatabaseValueConvertible)?] = [
            record.seq, record.version, record.deleted ? 1 : 0, record.markerMilliseconds, encodeBody(record.values),
        ]
        arguments += datatype.uniqueProperties.map { record.values[$0.name]?.stringValue }
        arguments.append(record.id.databaseValue)
        try db.cachedStatement(sql: updateSQL).execute(arguments: StatementArguments(arguments))
    }

    func encodeBody(_ values: FlatValues) -> String {
        var object = JSONObject()
        for property in datatype.properties {
            object[property.name] = values[property.name] ?? .null
        }
        return JSONWriter.string(.object(object))
    }

    private func decode(_ row: Row) throws -> StoredRecord {
        let bodyText: String = row["body"]
        guard let body = try? JSONParser.parse(bodyText).objectValue else {
            throw ReferenceError(.internalError, "\(datatype.collection): stored body of a record is not a JSON object")
        }
        var values = FlatValues()
        for (key, value) in body.pairs { values[key] = value }
        return StoredRecord(
            id: try decodeID(row["id"]),
            seq: row["seq"],
            version: row["version"],
            deleted: row["deleted"],
            markerMilliseconds: row["marker_ms"],
            values: values
        )
    }

    private func decodeID(_ value: DatabaseValue) throws -> RecordID {
        switch (datatype.idKind, value.storage) {
        case (.autoincrementInteger, .int64(let integer)): return .integer(integer)
        case (.uuid, .string(let text)): return .uuid(text)
        default: throw ReferenceError(.internalError, "\(datatype.collection): stored id \(value) has the wrong type")
        }
    }
}

extension RecordID {
    var databaseValue: any DatabaseValueConvertible {
        switch self {
        case .integer(let value): value
        case .uuid(let value): value
        }
    }
}
