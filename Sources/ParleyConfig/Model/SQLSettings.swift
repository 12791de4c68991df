import ParleyCore

/// Settings of a `connector: sql` system: tables of a PostgreSQL or SQLite database.
public struct SQLSettings: Sendable, Hashable {
    public var database: SQLDatabaseSettings
    /// PostgreSQL only: a channel Parley LISTENs on; a NOTIFY on it signals changes.
    public var listenChannel: String?
    /// How long a transaction may stay open: rows stamped within this window before the end of a read are read
    /// again on the next pass, so rows committed late with an older time stamp are never skipped.
    public var overlapMillis: Int
    public var timeoutMillis: Int
    public var datatypes: [SQLDatatypeSettings]

    public init(
        database: SQLDatabaseSettings, listenChannel: String? = nil, overlapMillis: Int = 2_000, timeoutMillis: Int = 10_000,
        datatypes: [SQLDatatypeSettings] = []
    ) {
        self.database = database
        self.listenChannel = listenChannel
        self.overlapMillis = overlapMillis
        self.timeoutMillis = timeoutMillis
        self.datatypes = datatypes
    }

    public func datatype(_ name: String) -> SQLDatatypeSettings? { datatypes.first { $0.schema.name == name } }
}

public enum SQLDatabaseSettings: Sendable, Hashable {
    case postgres(PostgresConnectionSettings)
    /// An absolute path to the SQLite file.
    case sqlite(path: String)

    public var driver: String {
        switch self {
        case .postgres: "postgres"
        case .sqlite: "sqlite"
        }
    }
}

public struct PostgresConnectionSettings: Sendable, Hashable {
    /// How the connection is encrypted. TLS, whenever used, verifies the server's certificate and host name.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, else unencrypted (with a warning naming the system).
        case prefer
        /// TLS or no connection (the default).
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: Secret?
    public var database: String
    public var tls: TLSMode
    public var maxConnections: Int

    public init(
        host: String, port: Int = 5432, username: String, password: Secret? = nil, database: String, tls: TLSMode = .require,
        maxConnections: Int = 4
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.maxConnections = maxConnections
    }

    /// `postgres://user@host:port/database`, never with the password.
    public var displayURL: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}

/// A table, view or column name from the configuration: one or more validated identifiers
/// (`customers`, `erp.customers`), always quoted when placed in SQL.
public struct SQLName: Sendable, Hashable, CustomStringConvertible {
    public var parts: [String]

    /// Nil unless every dot-separated part is a letter or `_` followed by letters, digits, `_` or `$`
    /// (at most 63 characters).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.count <= 2, parts.allSatisfy(Self.isIdentifier) else { return nil }
        self.parts = parts
    }

    public var description: String { parts.joined(separator: ".") }

    /// The name quoted for SQL: `"erp"."customers"`. Validation guarantees no quote can appear inside.
    public var quoted: String { parts.map { "\"\($0)\"" }.joined(separator: ".") }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.utf8.count <= 63 else { return false }
        guard first.isASCII, first.properties.isAlphabetic || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "$")
        }
    }
}

/// One datatype stored in a table.
public struct SQLDatatypeSettings: Sendable, Hashable {
    public enum IdGeneration: String, Sendable, Hashable, CaseIterable {
        /// The database assigns it (serial, identity, INTEGER PRIMARY KEY, a default).
        case database
        /// Parley generates a UUID.
        case uuid
    }

    public enum MarkerKind: String, Sendable, Hashable, CaseIterable {
        /// A timestamp column (PostgreSQL `timestamp`/`timestamptz`; SQLite text such as `2026-01-05T10:00:00Z`).
        case datetime
        /// Epoch milliseconds in an integer column.
        case epochMillis = "epoch-millis"
    }

    public struct ChangeMarker: Sendable, Hashable {
        public var column: SQLName
        public var kind: MarkerKind
        /// Whether Parley sets the marker to the current time when it writes (for tables without a trigger).
        public var setOnWrite: Bool
        public init(column: SQLName, kind: MarkerKind, setOnWrite: Bool = true) {
            self.column = column
            self.kind = kind
            self.setOnWrite = setOnWrite
        }
    }

    public enum SoftDeleteKind: String, Sendable, Hashable, CaseIterable {
        /// A boolean column, true when deleted.
        case boolean
        /// A timestamp column, set when deleted.
        case datetime
    }

    public struct SoftDelete: Sendable, Hashable {
        public var column: SQLName
        public var kind: SoftDeleteKind
        public init(column: SQLName, kind: SoftDeleteKind) {
            self.column = column
            self.kind = kind
        }
    }

    /// Datatype, id, change marker and properties (from the configuration).
    public var schema: DatatypeSchema
    /// The table written to.
    public var table: SQLName
    /// A table or view read from (defaults to `table`).
    public var readFrom: SQLName
    public var idColumn: SQLName
    public var idGeneration: IdGeneration
    /// Nil: no change marker; every pass reads the whole table and compares content hashes.
    public var changeMarker: ChangeMarker?
    /// Deleting sets this column instead of removing the row, and the feed reports such rows as deleted.
    public var softDelete: SoftDelete?
    /// A column that stores Parley's idempotency key on create, so a repeated create finds the first row.
    public var idempotencyColumn: SQLName?
    /// Property path -> column.
    public var columns: [String: SQLName]
    public var pageSize: Int
    public var location: ConfigLocation

    public init(
        schema: DatatypeSchema, table: SQLName, readFrom: SQLName? = nil, idColumn: SQLName, idGeneration: IdGeneration = .database,
        changeMarker: ChangeMarker? = nil, softDelete: SoftDelete? = nil, idempotencyColumn: SQLName? = nil, columns: [String: SQLName],
        pageSize: Int = 500, location: ConfigLocation = ConfigLocation(path: "")
    ) {
        self.schema = schema
        self.table = table
        self.readFrom = readFrom ?? table
        self.idColumn = idColumn
        self.idGeneration = idGeneration
        self.changeMarker = changeMarker
        self.softDelete = softDelete
        self.idempotencyColumn = idempotencyColumn
        self.columns = columns
        self.pageSize = pageSize
        self.location = location
    }
}
