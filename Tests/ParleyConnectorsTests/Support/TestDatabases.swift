import Foundation
import GRDB
import Logging
import ParleyCore
import ParleyTestSupport
import PostgresNIO

/// A value bound in a test's own SQL.
enum TestSQLValue: Sendable {
    case null
    case int(Int64)
    case text(String)
}

/// Direct access to a test database, the way its owners (an in-house application) would change it,
/// behind Parley's back. SQL is written with `?` placeholders.
protocol TestSQL: Sendable {
    func execute(_ sql: String, _ values: [TestSQLValue]) async throws
    /// Rows as text (NULL as nil).
    func rows(_ sql: String, _ values: [TestSQLValue]) async throws -> [[String?]]
    func close() async
}

extension TestSQL {
    /// Runs statements separated by `;` at line ends, one at a time.
    func execute(_ sql: String) async throws {
        for statement in sql.components(separatedBy: ";\n") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try await execute(statement, [])
        }
    }
    func value(_ sql: String, _ values: [TestSQLValue] = []) async throws -> String? {
        try await rows(sql, values).first?.first ?? nil
    }
}

/// A fresh PostgreSQL database in the throwaway test cluster.
final class TestPostgresDatabase: TestSQL {
    let url: String
    let client: PostgresClient
    let runner: Task<Void, Never>

    static func create() async throws -> TestPostgresDatabase {
        try await TestPostgresDatabase(url: TestPostgres.freshDatabase())
    }

    init(url: String) throws {
        self.url = url
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw HarnessFailure(message: "bad test database URL")
        }
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .critical
        let client = PostgresClient(
            configuration: .init(
                host: host, port: components.port ?? 5432, username: user, password: components.password,
                database: String(components.path.dropFirst()), tls: .disable),
            backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    /// `host`, `port`, `user`, `database` and the password for a `connector: sql` configuration.
    var parts: (host: String, port: Int, user: String, password: String?, database: String) {
        let components = URLComponents(string: url)
        return (components?.host ?? "", components?.port ?? 5432, components?.user ?? "", components?.password, String(components?.path.dropFirst() ?? ""))
    }

    func execute(_ sql: String, _ values: [TestSQLValue]) async throws {
        try await client.query(Self.query(sql, values))
    }

    func rows(_ sql: String, _ values: [TestSQLValue]) async throws -> [[String?]] {
        var result: [[String?]] = []
        for try await row in try await client.query(Self.query(sql, values)) {
            result.append(try row.map { cell -> String? in
                guard cell.bytes != nil else { return nil }
                switch cell.dataType {
                case .int8: return String(try cell.decode(Int64.self))
                case .int4: return String(try cell.decode(Int32.self))
                case .bool: return String(try cell.decode(Bool.self))
                default: return try cell.decode(String.self)
                }
            })
        }
        return result
    }

    func close() async { runner.cancel() }

    static func query(_ sql: String, _ values: [TestSQLValue]) -> PostgresQuery {
        var text = ""
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                text += "$\(index)"
            } else {
                text.append(character)
            }
        }
        var bindings = PostgresBindings()
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .int(let number): bindings.append(number)
            case .text(let string): bindings.append(string)
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }
}

/// A SQLite file.
final class TestSQLiteDatabase: TestSQL {
    let path: String
    let queue: DatabaseQueue

    init(path: String) throws {
        self.path = path
        queue = try DatabaseQueue(path: path)
    }

    func execute(_ sql: String, _ values: [TestSQLValue]) async throws {
        let arguments = StatementArguments(values.map(Self.databaseValue))
        try await queue.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    func rows(_ sql: String, _ values: [TestSQLValue]) async throws -> [[String?]] {
        let arguments = StatementArguments(values.map(Self.databaseValue))
        return try await queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (0..<row.count).map { index -> String? in
                    let value: DatabaseValue = row[index]
                    switch value.storage {
                    case .null: return nil
                    case .int64(let number): return String(number)
                    case .double(let number): return "\(number)"
                    case .string(let text): return text
                    case .blob(let data): return String(decoding: data, as: UTF8.self)
                    }
                }
            }
        }
    }

    func close() async {}

    static func databaseValue(_ value: TestSQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .int(let number): number.databaseValue
        case .text(let text): text.databaseValue
        }
    }
}
