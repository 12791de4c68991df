import Foundation
import Logging
import ParleyConfig
import ParleyCore

/// Connector for tables of a PostgreSQL or SQLite database (`connector: sql`). Every statement is
/// parameterized; table and column names come only from the configuration, validated and quoted.
/// Tables with a change marker are read in `(marker, id)` order with an overlap window; tables without
/// one are full-scanned and diffed by content hash.
public final class SQLConnector: ManagedConnector {
    public let system: String
    let title: String
    let settings: SQLSettings
    let database: any SQLDatabase
    let tables: [String: SQLTable]
    let scanStore: LazyScanStore
    let now: @Sendable () -> Int64

    /// `scanStatePath`: the SQLite file keeping full-scan hashes (needed for tables without a change marker).
    public init(
        system: String, title: String? = nil, settings: SQLSettings, scanStatePath: String, logger: Logger = Logger(label: "parley.connector.sql"),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) throws {
        self.system = system
        self.title = title ?? system
        self.settings = settings
        self.now = now
        switch settings.database {
        case .postgres(let connection):
            database = PostgresSQLDatabase(system: system, settings: connection, timeoutMillis: settings.timeoutMillis, logger: logger)
        case .sqlite(let path):
            database = try SQLiteSQLDatabase(system: system, path: path, timeoutMillis: settings.timeoutMillis)
        }
        let integerIds = Set(settings.datatypes.filter { $0.schema.idType == .integer }.map(\.schema.name))
        let dialect = database.dialect
        tables = Dictionary(
            settings.datatypes.map { ($0.schema.name, SQLTable(system: system, settings: $0, dialect: dialect, integerIds: integerIds)) },
            uniquingKeysWith: { a, _ in a })
        scanStore = LazyScanStore(path: scanStatePath)
    }

    public func shutdown() async { await database.close() }

    public func schema() async throws -> SystemSchema {
        SystemSchema(system: system, name: title, datatypes: settings.datatypes.map(\.schema))
    }

    func table(_ name: String) throws -> SQLTable {
        guard let table = tables[name] else {
            throw ConnectorError.fatal(system: system, message: "no datatype '\(name)' is configured (configured: \(tables.keys.sorted().joined(separator: ", ")))")
        }
        return table
    }

    public func changes(datatype name: String, since cursor: String?, limit: Int) async throws -> ChangePage {
        let table = try table(name)
        if let marker = table.settings.changeMarker {
            return try await markerChanges(table, marker: marker, cursor: cursor, limit: limit)
        }
        let feed = FullScanFeed(
            store: try await scanStore.get(), system: system, datatype: name, idField: table.idField, idIsInteger: table.idIsInteger, hashFields: table.hashFields)
        return try await feed.changes(since: cursor, limit: limit) { SQLScanPager(database: database, table: table) }
    }

    public func fetch(datatype name: String, id: String) async throws -> NativeRecord? {
        let table = try table(name)
        guard let idValue = table.idValue(id) else { return nil }
        guard let record = try await select(table, id: idValue, from: table.settings.readFrom, on: database) else { return nil }
        return record.deleted ? nil : record
    }

    public func create(datatype name: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord {
        let table = try table(name)
        var assignments = try table.assignments(fields, id: nil)
        if table.settings.idGeneration == .uuid {
            assignments.append((table.settings.idColumn, .text(UUID().uuidString.lowercased())))
        }
        if let marker = table.settings.changeMarker, marker.setOnWrite {
            assignments.append((marker.column, table.now(kind: marker.kind, millis: now())))
        }
        if let key = table.settings.idempotencyColumn { assignments.append((key, .text(idempotencyKey))) }
        let dialect = database.dialect
        let columns = assignments
        return try await database.transaction { executor in
            if let key = table.settings.idempotencyColumn {
                var lookup = SQLStatement(dialect, "SELECT \(table.selectList) FROM \(table.settings.table.quoted) WHERE \(key.quoted) = ")
                lookup.bind(.text(idempotencyKey))
                if let row = try await executor.rows(lookup).first { return try table.record(row) }
            }
            var insert = SQLStatement(dialect, "INSERT INTO \(table.settings.table.quoted)")
            if columns.isEmpty {
                insert += " DEFAULT VALUES"
            } else {
                insert += " (\(columns.map(\.0.quoted).joined(separator: ", "))) VALUES ("
                for (index, assignment) in columns.enumerated() {
                    if index > 0 { insert += ", " }
                    insert.bind(assignment.1)
                }
                insert += ")"
            }
            insert += " RETURNING \(table.settings.idColumn.quoted)\(dialect == .postgres ? "::text" : "")"
            guard let returned = try await executor.rows(insert).first?.first, let id = returned.text else {
                throw ConnectorError.invalidResponse(system: self.system, message: "\(name): the insert returned no id")
            }
            guard let idValue = table.idValue(id), let record = try await self.select(table, id: idValue, from: table.settings.table, on: executor) else {
                throw ConnectorError.invalidResponse(system: self.system, message: "\(name) \(id): the inserted row cannot be read back")
            }
            return record
        }
    }

    public func update(datatype name: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord {
        let table = try table(name)
        guard let idValue = table.idValue(id) else { throw ConnectorError.notFound(system: system, datatype: name, id: id) }
        var assignments = try table.assignments(fields, id: id)
        if let marker = table.settings.changeMarker, marker.setOnWrite, !assignments.isEmpty {
            assignments.append((marker.column, table.now(kind: marker.kind, millis: now())))
        }
        let dialect = database.dialect
        let changes = assignments
        return try await database.transaction { executor in
            guard let current = try await self.select(table, id: idValue, from: table.settings.table, on: executor, lock: true), !current.deleted else {
                throw ConnectorError.notFound(system: self.system, datatype: name, id: id)
            }
            if let ifMatch, current.version != ifMatch { throw ConnectorError.versionMismatch(system: self.system, id: id) }
            guard !changes.isEmpty else { return current }
            var update = SQLStatement(dialect, "UPDATE \(table.settings.table.quoted) SET ")
            for (index, assignment) in changes.enumerated() {
                if index > 0 { update += ", " }
                update += "\(assignment.0.quoted) = "
                update.bind(assignment.1)
            }
            update += " WHERE \(table.settings.idColumn.quoted) = "
            update.bind(idValue)
            _ = try await executor.rows(update)
            guard let stored = try await self.select(table, id: idValue, from: table.settings.table, on: executor) else {
                throw ConnectorError.notFound(system: self.system, datatype: name, id: id)
            }
            return stored
        }
    }

    public func delete(datatype name: String, id: String) async throws {
        let table = try table(name)
        guard let idValue = table.idValue(id) else { return }
        var statement: SQLStatement
        if let softDelete = table.settings.softDelete {
            statement = SQLStatement(database.dialect, "UPDATE \(table.settings.table.quoted) SET \(softDelete.column.quoted) = ")
            switch softDelete.kind {
            case .boolean: statement.bind(database.dialect == .postgres ? .text("true") : .integer(1))
            case .datetime: statement.bind(table.now(kind: .datetime, millis: now()))
            }
            if let marker = table.settings.changeMarker, marker.setOnWrite {
                statement += ", \(marker.column.quoted) = "
                statement.bind(table.now(kind: marker.kind, millis: now()))
            }
        } else {
            statement = SQLStatement(database.dialect, "DELETE FROM \(table.settings.table.quoted)")
        }
        statement += " WHERE \(table.settings.idColumn.quoted) = "
        statement.bind(idValue)
        _ = try await database.rows(statement)
    }

    /// Rows whose columns equal the given property values (used to adopt a record whose create may have
    /// happened). Nil when a field is not a configured property.
    public func find(datatype name: String, matching fields: [String: JSONValue]) async throws -> [NativeRecord]? {
        let table = try table(name)
        guard !fields.isEmpty else { return nil }
        var statement = SQLStatement(database.dialect, "SELECT \(table.selectList) FROM \(table.settings.readFrom.quoted) WHERE ")
        for (index, (path, value)) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            guard let column = table.columns.first(where: { $0.property.name == path }) else { return nil }
            guard let bound = try? table.sqlValue(value, for: column, id: nil), !bound.isNull else { return [] }
            if index > 0 { statement += " AND " }
            statement += "\(column.name.quoted) = "
            statement.bind(bound)
        }
        return try await database.rows(statement).compactMap { row in
            guard let record = try? table.record(row), !record.deleted else { return nil }
            return record
        }
    }

    /// Change signals from PostgreSQL `NOTIFY` on the configured `listen` channel (each payload, typically
    /// a datatype name); nil for SQLite or without a channel. Returns once Parley is listening.
    public func changeSignals() async -> AsyncStream<String>? {
        guard let channel = settings.listenChannel, let postgres = database as? PostgresSQLDatabase else { return nil }
        return await postgres.notifications(channel: channel)
    }

    // MARK: - Helpers

    func select(_ table: SQLTable, id: SQLValue, from source: SQLName, on executor: any SQLExecutor, lock: Bool = false) async throws -> NativeRecord? {
        var statement = SQLStatement(database.dialect, "SELECT \(table.selectList) FROM \(source.quoted) WHERE \(table.settings.idColumn.quoted) = ")
        statement.bind(id)
        if lock, database.dialect == .postgres { statement += " FOR UPDATE" }
        guard let row = try await executor.rows(statement).first else { return nil }
        return try table.record(row)
    }
}

/// Pages through a whole table by id for a full scan; soft-deleted rows count as gone.
struct SQLScanPager: ScanPager {
    let database: any SQLDatabase
    let table: SQLTable
    var after: SQLValue?
    var done = false

    init(database: any SQLDatabase, table: SQLTable) {
        self.database = database
        self.table = table
    }

    mutating func nextPage() async throws -> [ChangeItem]? {
        guard !done else { return nil }
        let idColumn = table.settings.idColumn.quoted
        var statement = SQLStatement(database.dialect, "SELECT \(table.selectList) FROM \(table.settings.readFrom.quoted)")
        if let after {
            statement += " WHERE \(idColumn) > "
            statement.bind(after)
        }
        statement += " ORDER BY \(idColumn) LIMIT "
        statement.bind(.integer(Int64(table.settings.pageSize)))
        let rows = try await database.rows(statement)
        after = rows.last?.first
        done = rows.count < table.settings.pageSize
        if rows.isEmpty { return nil }
        return rows.compactMap { row in
            let item = table.item(row)
            if case .record(let record) = item, record.deleted { return nil }
            return item
        }
    }
}
