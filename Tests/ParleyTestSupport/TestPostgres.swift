import Foundation
import Logging
import PostgresNIO

/// The throwaway cluster from scripts/with-postgres.sh; each test gets a database of its own.
public enum TestPostgres {
    public static var adminURL: String? { ProcessInfo.processInfo.environment["PARLEY_TEST_POSTGRES_URL"] }
    /// The cluster's password, to check that it never appears in messages.
    public static var password: String? { adminURL.flatMap { URLComponents(string: $0)?.password } }
    public static var required: Bool { ProcessInfo.processInfo.environment["PARLEY_REQUIRE_POSTGRES"] == "1" }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "PARLEY_TEST_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh (scripts/test does)" }
    }

    /// Runs statements (one at a time, in order) as the cluster's administrator in the database of `url`
    /// (default: the cluster's own database), without TLS.
    public static func execute(_ statements: [String], in url: String? = nil) async throws {
        guard let url = url ?? adminURL, let components = URLComponents(string: url), let host = components.host,
            let admin = adminURL.flatMap({ URLComponents(string: $0) }), let user = admin.user
        else { throw Missing() }
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .critical
        let client = PostgresClient(
            configuration: .init(
                host: host, port: components.port ?? 5432, username: user, password: admin.password,
                database: String(components.path.dropFirst()), tls: .disable),
            backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            for statement in statements {
                try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// Creates an empty database and returns its URL.
    public static func freshDatabase() async throws -> String {
        guard let adminURL, var components = URLComponents(string: adminURL), let host = components.host, let user = components.user else {
            throw Missing()
        }
        let name = "parley_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let client = PostgresClient(configuration: .init(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: String(components.path.dropFirst()), tls: .disable))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            group.cancelAll()
        }
        components.path = "/" + name
        return components.string ?? adminURL
    }
}
