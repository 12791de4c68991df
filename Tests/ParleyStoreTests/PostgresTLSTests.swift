import Foundation
import Logging
import ParleyStore
import ParleyTestSupport
import Testing

/// Opening a `postgres://` state: `sslmode`, and a database that cannot be reached, each reported with its
/// cause within seconds. The test cluster (scripts/with-postgres.sh) offers no TLS.
@Suite("PostgreSQL state: sslmode and connection failures", .enabled(if: TestPostgres.adminURL != nil || TestPostgres.required, "needs scripts/with-postgres.sh"))
struct PostgresTLSTests {
    /// Generous: a failure must not wait for the pool's circuit breaker (about a minute).
    static let bound: Duration = .seconds(15)

    /// The test database's URL split up: the URL with another password (or none) and its redacted form.
    struct Target {
        let components: URLComponents
        var password: String { components.password ?? "" }
        var address: String { "\(components.host ?? ""):\(components.port ?? 5432)" }
        var database: String { String(components.path.dropFirst()) }

        init() async throws { components = try #require(URLComponents(string: try await TestPostgres.freshDatabase())) }

        func url(password: String? = nil, port: Int? = nil, query: String = "") -> String {
            var copy = components
            if let password { copy.password = password }
            if let port { copy.port = port }
            return (copy.string ?? "") + query
        }

        /// What messages show: the password as ***.
        func shown(port: Int? = nil, query: String = "") -> String {
            "postgres://parley:***@\(components.host ?? ""):\(port ?? components.port ?? 5432)/\(database)\(query)"
        }
    }

    /// Opens `url`, expecting a StoreError: its text and how long opening took.
    static func failure(opening url: String, environment: [String: String] = [:], log: CapturedLog = CapturedLog()) async -> (text: String, elapsed: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let store = try await PostgresStore(url: url, environment: environment, logger: log.logger(level: .info))
            store.close()
            Issue.record("opened \(url)")
            return ("", clock.now - start)
        } catch {
            #expect(error is StoreError, "\(type(of: error)): \(error)")
            return ("\(error)", clock.now - start)
        }
    }

    @Test("disable and prefer connect (prefer warns once that it is unencrypted, naming the state without its password); require fails at once saying why")
    func sslModes() async throws {
        let target = try await Target()
        for mode in ["disable", "prefer"] {
            let log = CapturedLog()
            let store = try await PostgresStore(url: target.url(query: "?sslmode=\(mode)"), logger: log.logger(level: .info))
            #expect(try await store.counts(flow: "customers").linked == 0)
            store.close()
            let warnings = log.entries.filter { $0.level >= .warning }.map(\.message)
            if mode == "prefer" {
                #expect(
                    warnings == [
                        "state store \(target.shown(query: "?sslmode=prefer")): the PostgreSQL server offered no TLS, so sslmode=prefer connected WITHOUT encryption; use sslmode=require (or sslmode=disable to accept plaintext knowingly)"
                    ], "\(warnings)")
            } else {
                // Nothing else either: in particular not PostgresNIO's "PostgresClient.run() hasn't been called yet".
                #expect(warnings.isEmpty, "\(warnings)")
            }
            #expect(!log.entries.contains { "\($0.message)\($0.metadata)".contains(target.password) })
        }
        // The default is prefer.
        let log = CapturedLog()
        let store = try await PostgresStore(url: target.url(), logger: log.logger(level: .info))
        store.close()
        #expect(log.entries.filter { $0.level >= .warning }.map(\.message).count == 1)

        let (text, elapsed) = await Self.failure(opening: target.url(query: "?sslmode=require"))
        #expect(
            text == "state store \(target.shown(query: "?sslmode=require")) cannot be opened: the server does not offer TLS and sslmode is require; enable TLS on the server, or set sslmode to prefer or disable to connect without encryption")
        #expect(elapsed < Self.bound, "took \(elapsed)")

        let unknown = await Self.failure(opening: target.url(query: "?sslmode=sometimes"))
        #expect(unknown.text == "state store \(target.shown(query: "?sslmode=sometimes")) cannot be opened: sslmode must be disable, prefer or require (was 'sometimes')")
    }

    @Test("a wrong password is reported as such within seconds, without either password")
    func wrongPassword() async throws {
        let target = try await Target()
        let wrong = "not-\(target.password)-x"
        for (url, environment) in [(target.url(password: wrong, query: "?sslmode=disable"), [:]),
                                   (target.url(query: "?sslmode=disable").replacingOccurrences(of: ":\(target.password)@", with: "@"), ["PARLEY_STATE_PASSWORD": wrong])] {
            let (text, elapsed) = await Self.failure(opening: url, environment: environment)
            let shown = environment.isEmpty ? target.shown(query: "?sslmode=disable") : "postgres://parley@\(target.address)/\(target.database)?sslmode=disable"
            #expect(
                text == "state store \(shown) cannot be opened: authentication failed for user 'parley' (password authentication failed for user \"parley\", SQLSTATE 28P01); check the user and password")
            #expect(!text.contains(wrong) && !text.contains(target.password), "\(text)")
            #expect(elapsed < Self.bound, "took \(elapsed)")
        }
    }

    @Test("nothing listening is 'connection refused at host:port', at once")
    func refused() async throws {
        let target = try await Target()
        let port = try LoopbackPorts.closed()
        let (text, elapsed) = await Self.failure(opening: target.url(port: port))
        #expect(
            text == "state store \(target.shown(port: port)) cannot be opened: connection refused at 127.0.0.1:\(port); check the host and port, and that PostgreSQL is running and accepts TCP connections there")
        #expect(elapsed < Self.bound, "took \(elapsed)")
    }

    @Test("a server that never answers is reported after the 5 s connect timeout, not the pool's minute")
    func noAnswer() async throws {
        let target = try await Target()
        let silent = try LoopbackPorts.Silent()
        let (text, elapsed) = await Self.failure(opening: target.url(port: silent.port))
        #expect(
            text == "state store \(target.shown(port: silent.port)) cannot be opened: no answer from 127.0.0.1:\(silent.port) within 5000 ms; check the host and port, and that no firewall drops the connection")
        #expect(elapsed < Self.bound, "took \(elapsed)")
        withExtendedLifetime(silent) {}
    }

    @Test("a password with % in the URL (percent-encoded) or in PARLEY_STATE_PASSWORD is used as written")
    func percentPassword() async throws {
        let target = try await Target()
        let role = "pct_" + UUID().uuidString.prefix(8).lowercased()
        let password = "50%off%41"  // %41 would become A if decoded twice; "%of" is no escape at all
        try await TestPostgres.execute(["CREATE ROLE \(role) LOGIN PASSWORD '\(password)'", "GRANT ALL ON SCHEMA public TO \(role)"], in: target.url())
        let host = target.address
        for (url, environment) in [("postgres://\(role):50%25off%2541@\(host)/\(target.database)?sslmode=disable", [String: String]()),
                                   ("postgres://\(role)@\(host)/\(target.database)?sslmode=disable", ["PARLEY_STATE_PASSWORD": password])] {
            let store = try await PostgresStore(url: url, environment: environment)
            #expect(try await store.counts(flow: "customers").linked == 0)
            store.close()
        }
    }
}
