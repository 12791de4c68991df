import AsyncHTTPClient
import Foundation
import Metrics
import NIOCore
import NIOHTTP1
import NIOSSL
import ParleyCore

/// A JSON-over-HTTP client for one system: bounded concurrency, timeouts, error classification.
/// Secrets are only ever placed in headers, never in messages.
public final class HTTPTransport: Sendable {
    public struct Settings: Sendable {
        public var system: String
        public var baseURL: String
        public var headers: [(String, String)]
        public var timeoutMillis: Int
        public var concurrency: Int
        public var insecureSkipTLSVerify: Bool
        public var maxResponseBytes: Int

        public init(
            system: String, baseURL: String, headers: [(String, String)] = [], timeoutMillis: Int = 10_000, concurrency: Int = 8,
            insecureSkipTLSVerify: Bool = false, maxResponseBytes: Int = 64 << 20
        ) {
            self.system = system
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.headers = headers
            self.timeoutMillis = timeoutMillis
            self.concurrency = max(1, concurrency)
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
        public func header(_ name: String) -> String? { headers.first(name: name) }
    }

    public let settings: Settings
    let client: HTTPClient
    let gate: ConcurrencyGate

    public init(settings: Settings) {
        self.settings = settings
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .milliseconds(Int64(settings.timeoutMillis)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: settings.concurrency)
        if settings.insecureSkipTLSVerify {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            configuration.tlsConfiguration = tls
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        gate = ConcurrencyGate(limit: settings.concurrency)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// A transport dropped without `shutdown()` (e.g. a start-up that failed half-way) still releases its
    /// client, instead of tripping AsyncHTTPClient's deinit check; a second shutdown only reports an error.
    deinit {
        client.shutdown(queue: .global()) { _ in }
    }

    /// Sends a request; transport failures become `ConnectorError.transient`.
    public func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, headers extra: [(String, String)] = []) async throws -> Response {
        var request = HTTPClientRequest(url: settings.baseURL + path)
        request.method = method
        for (name, value) in settings.headers { request.headers.add(name: name, value: value) }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.jsonBytes))
        }
        await gate.acquire()
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(settings.timeoutMillis)))
            var buffer = try await response.body.collect(upTo: settings.maxResponseBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            await gate.release()
            if response.status.code >= 400 { countError(status: String(response.status.code)) }
            return Response(status: Int(response.status.code), headers: response.headers, body: bytes)
        } catch {
            await gate.release()
            countError(status: "unreachable")
            throw ConnectorError.transient(system: settings.system, message: "\(method.rawValue) \(path): \(Self.describe(error))", retryAfterSeconds: nil)
        }
    }

    /// `parley_http_errors_total{system, status}` through swift-metrics (the application picks the backend):
    /// error answers by status code, and `unreachable` for timeouts and connection failures.
    func countError(status: String) {
        Counter(label: "parley_http_errors_total", dimensions: [("system", settings.system), ("status", status)]).increment()
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout { return "timed out" }
            if error == .connectTimeout { return "connect timed out" }
            if error == .remoteConnectionClosed { return "connection closed by the server" }
        }
        return String(describing: error).prefix(200).description
    }
}

/// Percent-encodes one URL path segment (everything but RFC 3986 unreserved characters), so ids with
/// `/`, `..`, `?` or `%` can never change which resource is addressed.
public func escapePathSegment(_ segment: String) -> String {
    var result = ""
    for byte in segment.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
            result.unicodeScalars.append(Unicode.Scalar(byte))
        case UInt8(ascii: "."):
            // A segment of only dots would be resolved as a path step; escape dots always.
            result += "%2E"
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            result += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return result
}

/// Limits concurrent requests to one system.
actor ConcurrencyGate {
    let limit: Int
    var inUse = 0
    var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if inUse < limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
