import Foundation
import Logging
import ParleyConfig
import ParleyConnectors
import ParleyCore
import ParleyTestSupport
import Testing

extension Reliability {
    /// The SQL connector's PostgreSQL `tls:` against the throwaway cluster, which offers no TLS: `require`
    /// (the default) refuses to connect, `prefer` connects and warns naming the system, `disable` connects.
    @Suite("SQL connector TLS", .enabled(if: TestPostgres.adminURL != nil || TestPostgres.required, "needs scripts/with-postgres.sh"))
    struct SQLTLSTests {
        static func configuration(url: String, tls: String?, environment: [String: String] = [:], passwordKey: Bool = true) throws -> ParleyConfiguration {
            let yaml = """
                systems:
                  books:
                    connector: sql
                    driver: postgres
                    url: \(url)
                \(passwordKey ? "    password: ${BOOKS_DB_PASSWORD:-}" : "")
                \(tls.map { "    tls: \($0)" } ?? "")
                    timeout: 2s
                    datatypes:
                      customer:
                        table: customers
                        id: {column: id, type: integer}
                        changeMarker: {column: updated_at, type: datetime}
                        properties:
                          name: {type: string, required: true}
                  pms:
                    connector: contract
                    url: http://127.0.0.1:9
                flows:
                  - name: customers
                    left: books.customer
                    right: pms.customer
                    properties:
                      - {books: name, pms: display_name}
                """
            return try ConfigLoader.load(yaml: yaml, configPath: "/tmp/parley-sql-tls/parley.yaml", environment: environment)
        }

        static func postgresSettings(_ config: ParleyConfiguration) throws -> PostgresConnectionSettings {
            let system = try #require(config.systems.first { $0.name == "books" })
            guard case .sql(let settings) = system.connector, case .postgres(let connection) = settings.database else {
                throw HarnessFailure(message: "books is not a PostgreSQL sql system")
            }
            return connection
        }

        @Test("the default is require (TLS with certificate verification); prefer and disable only when written")
        func defaultRequiresTLS() throws {
            let url = "postgres://sync@db.example:5432/books"
            #expect(try Self.postgresSettings(Self.configuration(url: url, tls: nil)).tls == .require)
            for mode in PostgresConnectionSettings.TLSMode.allCases {
                #expect(try Self.postgresSettings(Self.configuration(url: url, tls: mode.rawValue)).tls == mode)
            }
            #expect(PostgresConnectionSettings(host: "db", username: "u", database: "d").tls == .require)
            #expect(throws: ConfigErrors.self) { try Self.configuration(url: url, tls: "verify-maybe") }
        }

        @Test("a user and password in the URL are percent-decoded once: %2541 is the literal text %41, not A")
        func percentEncodedURL() throws {
            let settings = try Self.postgresSettings(Self.configuration(url: "postgres://sync%2541:pa%2541ss@db.example/books", tls: nil, passwordKey: false))
            #expect(settings.username == "sync%41")
            #expect(settings.password?.reveal() == "pa%41ss")
        }

        @Test("against a server without TLS: require fails naming the system, prefer connects and warns naming it once, disable connects quietly")
        func modesAgainstPlaintextServer() async throws {
            let database = try await TestPostgres.freshDatabase()
            try await TestPostgres.execute(
                ["CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())",
                 "INSERT INTO customers (name) VALUES ('Alpha AS'), ('Beta AS')"],
                in: database)
            var components = try #require(URLComponents(string: database))
            let password = try #require(components.password)
            components.password = nil
            let url = try #require(components.string)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-sql-tls-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }

            for mode in ["require", nil, "prefer", "disable"] {
                let config = try Self.configuration(url: url, tls: mode, environment: ["BOOKS_DB_PASSWORD": password])
                let system = try #require(config.systems.first { $0.name == "books" })
                let log = CapturedLog()
                let connector = try ConnectorFactory.make(system, scanStatePath: folder + "/scan.sqlite", logger: log.logger(level: .info))
                do {
                    if mode == "require" || mode == nil {
                        do {
                            _ = try await connector.changes(datatype: "customer", since: nil, limit: 10)
                            Issue.record("tls: \(mode ?? "(default)") connected to a server without TLS")
                        } catch let error as ConnectorError {
                            let text = "\(error)"
                            #expect(text.hasPrefix("books: "), "\(text)")
                            #expect(text.contains("does not offer TLS") && text.contains("tls is require"), "\(text)")
                            #expect(!error.isTransient, "a missing TLS is not retried: \(text)")
                            #expect(!text.contains(password))
                        }
                    } else {
                        // Two reads: the records arrive, and the warning comes once.
                        let page = try await connector.changes(datatype: "customer", since: nil, limit: 10)
                        #expect(page.items.count == 2)
                        _ = try await connector.changes(datatype: "customer", since: page.next, limit: 10)
                        let warnings = log.entries.filter { $0.level >= .warning }
                        if mode == "prefer" {
                            #expect(warnings.count == 1, "\(warnings.map(\.message))")
                            #expect(warnings.first?.message.contains("system 'books'") == true, "\(warnings.map(\.message))")
                            #expect(warnings.first?.message.contains("WITHOUT encryption") == true, "\(warnings.map(\.message))")
                            #expect(warnings.first?.metadata["system"] == "books")
                        } else {
                            #expect(warnings.isEmpty, "\(warnings.map(\.message))")
                        }
                    }
                    #expect(!log.entries.contains { "\($0.message)\($0.metadata)".contains(password) })
                } catch {
                    await connector.shutdown()
                    throw error
                }
                await connector.shutdown()
            }
        }
    }
}
