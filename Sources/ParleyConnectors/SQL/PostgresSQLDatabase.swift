import Logging
import NIOCore
import ParleyConfig
import ParleyCore
import ParleyPostgres
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
    let runner: PostgresClientRunner
    let logger: Logger
    let timeoutMillis: Int
    let displayURL: String
    let endpoint: PostgresEndpoint
    /// Whether the `prefer` check (is the session encrypted?) is still to be done.
    private let encryptionUnchecked: Mutex<Bool>
    var dialect: SQLDialect { .postgres }

    init(system: String, settings: PostgresConnectionSettings, timeoutMillis: Int, logger: Logger) {
        self.system = system
        self.logger = logger
        self.timeoutMillis = timeoutMillis
        displayURL = settings.displayURL
        endpoint = settings.endpoint
        encryptionUnchecked = Mutex(settings.tls == .prefer)
        var configuration = endpoint.clientConfiguration(connectTimeoutMillis: timeoutMillis)
        configuration.options.maximumConnections = settings.maxConnections
        configuration.options.additionalStartupParameters = [("DateStyle", "ISO, YMD"), ("TimeZone", "UTC"), ("application_name", "parley")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = PostgresClientRunner(client)
    }

    func close() async { runner.cancel() }

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
        let task = Task { [client, logger, runner] in
            await runner.started()
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
        await runner.started()
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
        switch await endpoint.diagnose(timeoutMillis: timeoutMillis, logger: logger) {
        case nil, .noAnswer?:
            return nil
        case let problem?:
            let message = "\(displayURL): \(problem.message(tlsOption: "tls"))"
            return problem.isPermanent
                ? .fatal(system: system, message: message) : .transient(system: system, message: message, retryAfterSeconds: nil)
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
        let encrypted = try? await Deadline.run(millis: timeoutMillis) { [client, logger] in
            try await PostgresEndpoint.isEncrypted(client, logger: logger)
        }
        switch encrypted ?? nil {
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
                return .fatal(system: system, message: "\(database): \(PostgresConnectionProblem.tlsUnavailable.message(tlsOption: "tls"))")
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

extension PostgresConnectionSettings {
    var endpoint: PostgresEndpoint {
        let mode: PostgresEndpoint.TLSMode =
            switch tls {
            case .disable: .disable
            case .prefer: .prefer
            case .require: .require
            }
        return PostgresEndpoint(host: host, port: port, username: username, password: password?.reveal(), database: database, tls: mode)
    }
}
