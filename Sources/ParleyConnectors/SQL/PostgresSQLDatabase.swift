import Logging
import NIOCore
import NIOSSL
import ParleyConfig
import ParleyCore
import PostgresNIO
import Synchronization

/// A PostgreSQL database through PostgresNIO's connection pool. Sessions use ISO dates and UTC.
///
/// TLS (`tls:`): `require` (the default) encrypts and verifies the server's certificate against the system
/// trust store, and fails when the server offers no TLS; `prefer` uses TLS (verified) when the server offers
/// it and otherwise connects unencrypted — after the first statement it asks the server whether the session
/// is encrypted and logs a warning naming the system when it is not; `disable` never uses TLS.
final class PostgresSQLDatabase: SQLDatabase {
    let system: String
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    let timeoutMillis: Int
    let displayURL: String
    let settings: PostgresConnectionSettings
    /// Whether the `prefer` check (is the session encrypted?) is still to be done.
    private let encryptionUnchecked: Mutex<Bool>
    var dialect: SQLDialect { .postgres }

    init(system: String, settings: PostgresConnectionSettings, timeoutMillis: Int, logger: Logger) {
        self.system = system
        self.logger = logger
        self.timeoutMillis = timeoutMillis
        displayURL = settings.displayURL
        self.settings = settings
        encryptionUnchecked = Mutex(settings.tls == .prefer)
        let tls: PostgresClient.Configuration.TLS =
            switch settings.tls {
            case .disable: .disable
            case .prefer: .prefer(TLSConfiguration.makeClientConfiguration())
            case .require: .require(TLSConfiguration.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password?.reveal(),
            database: settings.database, tls: tls)
        configuration.options.maximumConnections = settings.maxConnections
        configuration.options.connectTimeout = .milliseconds(Int64(timeoutMillis))
        configuration.options.additionalStartupParameters = [("DateStyle", "ISO, YMD"), ("TimeZone", "UTC"), ("application_name", "parley")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    func close() async { runner.cancel() }

    deinit { runner.cancel() }

    func rows(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        try await guarded(statement.sql) { [client, logger] in
            try await Self.collect(try await client.query(Self.query(statement), logger: logger))
        }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await guarded("transaction") { [client, logger, system] in
            try await client.withTransaction(logger: logger) { connection in
                try await body(PostgresConnectionExecutor(system: system, connection: connection, logger: logger))
            }
        }
    }

    /// Waits for `LISTEN channel` (at most the timeout) and yields each NOTIFY payload until the stream is
    /// dropped; reconnects after a lost connection.
    func notifications(channel: String) async -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let (ready, readySignal) = AsyncStream.makeStream(of: Void.self)
        let task = Task { [client, logger] in
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            readySignal.yield()
                            for try await notification in notifications {
                                continuation.yield(notification.payload)
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("LISTEN connection lost; reconnecting", metadata: ["channel": "\(channel)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            readySignal.finish()
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        // Wait until LISTEN is in place (so no NOTIFY sent after this returns is missed), but not forever:
        // while the database is unreachable the stream starts empty and the task keeps reconnecting.
        _ = try? await Deadline.run(millis: timeoutMillis) {
            for await _ in ready { return true }
            return false
        }
        return stream
    }

    func guarded<T: Sendable>(_ context: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            let result = try await Deadline.run(millis: timeoutMillis, operation)
            await warnIfUnencrypted()
            return result
        } catch let error as ConnectorError {
            throw error
        } catch is Deadline.Expired {
            // The pool keeps retrying a connection that fails and lets the statement wait: say why, if that is it.
            if let problem = await connectionProblem() { throw problem }
            throw ConnectorError.transient(
                system: system, message: "\(displayURL): no answer within \(timeoutMillis) ms (\(context.prefix(60)))", retryAfterSeconds: nil)
        } catch {
            throw Self.classify(error, system: system, database: displayURL)
        }
    }

    /// After a statement timed out: one direct connection with the same settings, to tell a connection that
    /// cannot be made (the server offers no TLS but `tls: require`, a wrong password, nothing listening) from a
    /// slow statement. Nil when it connects (or does not answer either).
    func connectionProblem() async -> ConnectorError? {
        let settings = settings
        let logger = logger
        do {
            let tls: PostgresConnection.Configuration.TLS =
                switch settings.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            var configuration = PostgresConnection.Configuration(
                host: settings.host, port: settings.port, username: settings.username, password: settings.password?.reveal(),
                database: settings.database, tls: tls)
            configuration.options.connectTimeout = .milliseconds(Int64(timeoutMillis))
            let direct = configuration
            let connection = try await Deadline.run(millis: timeoutMillis) {
                try await PostgresConnection.connect(configuration: direct, id: 0, logger: logger)
            }
            try? await connection.close()
            return nil
        } catch is Deadline.Expired {
            return nil
        } catch {
            return Self.classify(error, system: system, database: displayURL)
        }
    }

    /// With `tls: prefer`, once (after the first statement that succeeded): asks the server whether this
    /// session is encrypted and warns, naming the system, when it fell back to plaintext.
    func warnIfUnencrypted() async {
        let due = encryptionUnchecked.withLock { unchecked in
            defer { unchecked = false }
            return unchecked
        }
        guard due else { return }
        let encrypted: Bool?
        do {
            let rows = try await Deadline.run(millis: timeoutMillis) { [client, logger] in
                try await Self.collect(try await client.query("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger))
            }
            encrypted = rows.first?.first.flatMap { $0.text }.map { ["t", "true"].contains($0) }
        } catch {
            encrypted = nil
        }
        switch encrypted {
        case true?:
            logger.debug("PostgreSQL connection encrypted (tls: prefer)", metadata: ["system": "\(system)", "database": "\(displayURL)"])
        case false?:
            logger.warning(
                "system '\(system)': the PostgreSQL server offered no TLS, so tls: prefer connected WITHOUT encryption; set tls: require (or tls: disable to accept plaintext knowingly)",
                metadata: ["system": "\(system)", "database": "\(displayURL)"])
        case nil:
            logger.warning(
                "system '\(system)': cannot tell whether the PostgreSQL connection is encrypted (pg_stat_ssl unreadable); tls: prefer may have connected WITHOUT encryption; set tls: require",
                metadata: ["system": "\(system)", "database": "\(displayURL)"])
        }
    }

    static func query(_ statement: SQLStatement) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: statement.bindings.count)
        for value in statement.bindings {
            if let text = value.text { bindings.append(UntypedText(text)) } else { bindings.appendNull() }
        }
        return PostgresQuery(unsafeSQL: statement.sql, binds: bindings)
    }

    static func collect(_ sequence: PostgresRowSequence) async throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        for try await row in sequence {
            var values: [SQLValue] = []
            for cell in row {
                if cell.bytes == nil {
                    values.append(.null)
                } else {
                    values.append(.text(try cell.decode(String.self)))
                }
            }
            rows.append(values)
        }
        return rows
    }

    /// Server errors by SQLSTATE class; connection problems are transient. Messages carry the server's
    /// text and the failing column or constraint, never the connection's password or the bound values.
    static func classify(_ error: any Error, system: String, database: String) -> ConnectorError {
        if let error = error as? ConnectorError { return error }
        if let transaction = error as? PostgresTransactionError {
            // The closure's own error (a version mismatch, a refused value) is what happened; BEGIN/COMMIT
            // failures are the database's.
            if let cause = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return classify(cause, system: system, database: database)
            }
        }
        guard let error = error as? PSQLError else {
            if error is CancellationError { return .transient(system: system, message: "\(database): cancelled", retryAfterSeconds: nil) }
            return .transient(system: system, message: "\(database): \(String(describing: error).prefix(200))", retryAfterSeconds: nil)
        }
        guard let info = error.serverInfo, let state = info[.sqlState] else {
            switch error.code {
            case .sslUnsupported:
                return .fatal(
                    system: system,
                    message: "\(database): the server does not offer TLS and tls is require; enable TLS on the server, or set tls: prefer or tls: disable for this system")
            case .authMechanismRequiresPassword, .unsupportedAuthMechanism, .saslError:
                return .fatal(system: system, message: "\(database): cannot log in (\(error.code)); check the user, password and tls settings")
            default:
                return .transient(system: system, message: "\(database): \(error.code)", retryAfterSeconds: nil)
            }
        }
        var message = "\(database): \(info[.message] ?? "error") (SQLSTATE \(state))"
        if let detail = info[.detail] { message += ": \(detail.prefix(200))" }
        let column = info[.columnName]
        if let constraint = info[.constraintName] { message += " [constraint \(constraint)]" }
        switch state.prefix(2) {
        case "08", "53", "57", "40", "55":
            return .transient(system: system, message: message, retryAfterSeconds: nil)
        case "23", "22":
            return .rejected(system: system, status: 422, message: message, property: column)
        case "28":
            return .fatal(system: system, message: message + "; check the user and password")
        default:
            return .fatal(system: system, message: message)
        }
    }
}

struct PostgresConnectionExecutor: SQLExecutor {
    let system: String
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ statement: SQLStatement) async throws -> [[SQLValue]] {
        try await PostgresSQLDatabase.collect(try await connection.query(PostgresSQLDatabase.query(statement), logger: logger))
    }
}

/// Text sent with an unspecified type (OID 0), so PostgreSQL parses it as whatever the statement's
/// context needs (integer, numeric, date, timestamptz, boolean…) — exact, with no client-side guessing.
struct UntypedText: PostgresNonThrowingEncodable {
    let value: String
    init(_ value: String) { self.value = value }

    static var psqlType: PostgresDataType { .null }
    static var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(value)
    }
}
