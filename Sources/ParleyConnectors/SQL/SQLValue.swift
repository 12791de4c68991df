/// A value bound to or read from a SQL statement. PostgreSQL values travel as text of an unspecified
/// type (the server parses them as the column's type); SQLite keeps the storage class.
enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    var isNull: Bool { self == .null }

    /// The value as text (PostgreSQL wire form).
    var text: String? {
        switch self {
        case .null: nil
        case .integer(let value): String(value)
        case .real(let value): "\(value)"
        case .text(let value): value
        }
    }
}

enum SQLDialect: Sendable {
    case postgres, sqlite
}

/// SQL text with its bound values. Text comes only from the connector (quoted, validated identifiers and
/// keywords); every value from data is a bound parameter.
struct SQLStatement: Sendable {
    let dialect: SQLDialect
    private(set) var sql = ""
    private(set) var bindings: [SQLValue] = []

    init(_ dialect: SQLDialect, _ sql: String = "") {
        self.dialect = dialect
        self.sql = sql
    }

    /// Appends SQL text (never data).
    mutating func append(_ text: String) { sql += text }

    /// Appends a placeholder for `value` (`$n` or `?`).
    mutating func bind(_ value: SQLValue) {
        bindings.append(value)
        sql += dialect == .postgres ? "$\(bindings.count)" : "?"
    }

    static func += (statement: inout SQLStatement, text: String) { statement.append(text) }
}
