#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Where and how to reach one PostgreSQL database: shared by the PostgreSQL state store and the SQL
/// connector, so both build their connections, check encryption and explain a failed connection the same way.
public struct PostgresEndpoint: Sendable {
    /// How the connection is encrypted. TLS, whenever used, verifies the server's certificate and host name
    /// against the system trust store.
    public enum TLSMode: String, Sendable, Hashable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, else unencrypted.
        case prefer
        /// TLS or no connection.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    /// Never printed: not part of any message or description.
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(host: String, port: Int, username: String, password: String?, database: String, tls: TLSMode) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// `host:port`, for messages.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// A pool configuration; a connection attempt gives up after `connectTimeoutMillis`.
    public func clientConfiguration(connectTimeoutMillis: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(TLSConfiguration.makeClientConfiguration())
            case .require: .require(TLSConfiguration.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .milliseconds(Int64(connectTimeoutMillis))
        return configuration
    }

    /// One direct connection with these settings (no pool, no retries), closed again at once: nil when it
    /// connects and logs in; otherwise why not — the server offers no TLS but `require`, the login is refused,
    /// nothing listens, no answer within `timeoutMillis`… The pool, by contrast, keeps retrying a connection
    /// that fails and lets its users wait until its circuit breaker trips, with no cause.
    public func diagnose(timeoutMillis: Int, logger: Logger) async -> PostgresConnectionProblem? {
        let address = address
        do {
            let tls: PostgresConnection.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            var configuration = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls)
            configuration.options.connectTimeout = .milliseconds(Int64(timeoutMillis))
            let direct = configuration
            let connection = try await Deadline.run(millis: timeoutMillis) {
                try await PostgresConnection.connect(configuration: direct, id: 0, logger: logger)
            }
            try? await connection.close()
            return nil
        } catch is Deadline.Expired {
            return .noAnswer(address: address, millis: timeoutMillis)
        } catch {
            return PostgresConnectionProblem(error, username: username, host: host, address: address, timeoutMillis: timeoutMillis)
        }
    }

    /// Whether the session serving a query through `client` is encrypted (`pg_stat_ssl`); nil when the server
    /// does not say.
    public static func isEncrypted(_ client: PostgresClient, logger: Logger) async throws -> Bool? {
        let rows = try await client.query("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger)
        for try await text in rows.decode(String?.self) {
            return text.map { ["t", "true"].contains($0) }
        }
        return nil
    }
}

/// Why a connection to PostgreSQL could not be made, in words an operator can act on. Never holds the password.
public enum PostgresConnectionProblem: Error, Sendable, Equatable {
    /// The server offers no TLS and the connection requires it.
    case tlsUnavailable
    /// The TLS handshake failed (an untrusted certificate, a host name that does not match…).
    case tlsFailed(detail: String)
    /// The server refused the login (SQLSTATE class 28).
    case authenticationFailed(user: String, serverMessage: String, sqlState: String)
    /// The server needs a password and none was given.
    case passwordMissing(user: String)
    /// Nothing listens at the address.
    case refused(address: String)
    /// The host name does not resolve.
    case unknownHost(host: String)
    /// No answer in time (a host that is down, a firewall dropping packets).
    case noAnswer(address: String, millis: Int)
    /// Any other error the server reported (a database that does not exist, too many connections…).
    case server(message: String, sqlState: String)
    case other(detail: String)

    init(_ error: any Error, username: String, host: String, address: String, timeoutMillis: Int) {
        guard let error = error as? PSQLError else {
            self = Self.connectFailure(error, host: host, address: address, timeoutMillis: timeoutMillis) ?? .other(detail: "\(String(describing: error).prefix(200))")
            return
        }
        if let info = error.serverInfo, let state = info[.sqlState] {
            let message = info[.message] ?? "error"
            self = state.hasPrefix("28") ? .authenticationFailed(user: username, serverMessage: message, sqlState: state) : .server(message: message, sqlState: state)
            return
        }
        switch error.code {
        case .sslUnsupported:
            self = .tlsUnavailable
        case .authMechanismRequiresPassword:
            self = .passwordMissing(user: username)
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            self = .tlsFailed(detail: "\(error.code)")
        default:
            if let underlying = error.underlying {
                if underlying is NIOSSLError || underlying is BoringSSLError {
                    self = .tlsFailed(detail: "\(String(describing: underlying).prefix(200))")
                } else {
                    self = Self.connectFailure(underlying, host: host, address: address, timeoutMillis: timeoutMillis)
                        ?? .other(detail: "\(error.code): \(String(describing: underlying).prefix(200))")
                }
            } else {
                self = .other(detail: "\(error.code)")
            }
        }
    }

    /// Refused, unknown host or timed out, from NIO's connect errors.
    static func connectFailure(_ error: any Error, host: String, address: String, timeoutMillis: Int) -> Self? {
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil && error.dnsAAAAError != nil && error.connectionErrors.isEmpty { return .unknownHost(host: host) }
            let causes = error.connectionErrors.map(\.error)
            if !causes.isEmpty, causes.allSatisfy({ ($0 as? IOError)?.errnoCode == ECONNREFUSED }) { return .refused(address: address) }
            if let cause = causes.first { return connectFailure(cause, host: host, address: address, timeoutMillis: timeoutMillis) }
            return nil
        }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return .refused(address: address) }
        if let error = error as? ChannelError, case .connectTimeout = error { return .noAnswer(address: address, millis: timeoutMillis) }
        return nil
    }

    /// A message naming the cause and what to do; `tlsOption` is the setting that chose the TLS mode (`tls`,
    /// `sslmode`), to name it in the advice.
    public func message(tlsOption: String) -> String {
        switch self {
        case .tlsUnavailable:
            "the server does not offer TLS and \(tlsOption) is require; enable TLS on the server, or set \(tlsOption) to prefer or disable to connect without encryption"
        case .tlsFailed(let detail):
            "the TLS handshake failed (\(detail)); check the server's certificate (trusted by this host, issued for this host name)"
        case .authenticationFailed(let user, let serverMessage, let sqlState):
            "authentication failed for user '\(user)' (\(serverMessage), SQLSTATE \(sqlState)); check the user and password"
        case .passwordMissing(let user):
            "the server asks a password for user '\(user)' and none is configured"
        case .refused(let address):
            "connection refused at \(address); check the host and port, and that PostgreSQL is running and accepts TCP connections there"
        case .unknownHost(let host):
            "the host name '\(host)' cannot be resolved; check the host"
        case .noAnswer(let address, let millis):
            "no answer from \(address) within \(millis) ms; check the host and port, and that no firewall drops the connection"
        case .server(let message, let sqlState):
            "the server refused the connection: \(message) (SQLSTATE \(sqlState))"
        case .other(let detail):
            "cannot connect: \(detail)"
        }
    }

    /// A problem that waiting will not fix (TLS, login, configuration); refused or unanswered connections may be
    /// a server that is restarting.
    public var isPermanent: Bool {
        switch self {
        case .tlsUnavailable, .tlsFailed, .authenticationFailed, .passwordMissing, .unknownHost: true
        case .server(_, let sqlState): !["08", "53", "57"].contains(String(sqlState.prefix(2)))
        case .refused, .noAnswer, .other: false
        }
    }
}
