import Foundation
import NIOHTTP1
import ParleyConfig
import ParleyCore

/// HTTP for one REST system: authentication, the rate limit, error classification, and secret redaction
/// (an API key sent as a query parameter would otherwise appear in transport error messages).
struct RESTClient: Sendable {
    let system: String
    let transport: HTTPTransport
    let limiter: RateLimiter?
    /// `name=value` appended to every request (API key in the query), already escaped.
    let queryAuth: String?
    /// Texts that must never appear in a message.
    let secrets: [String]

    init(system: String, settings: RESTSettings) {
        self.system = system
        var headers: [(String, String)] = []
        var queryAuth: String?
        var secrets: [String] = []
        switch settings.auth {
        case .none: break
        case .bearer(let token):
            headers.append(("Authorization", "Bearer \(token.reveal())"))
            secrets.append(token.reveal())
        case .basic(let username, let password):
            headers.append(("Authorization", "Basic " + Data("\(username):\(password.reveal())".utf8).base64EncodedString()))
            secrets.append(password.reveal())
        case .apiKeyHeader(let name, let value):
            headers.append((name, value.reveal()))
            secrets.append(value.reveal())
        case .apiKeyQuery(let name, let value):
            queryAuth = "\(escapeQueryValue(name))=\(escapeQueryValue(value.reveal()))"
            secrets += [value.reveal(), escapeQueryValue(value.reveal())]
        }
        self.queryAuth = queryAuth
        self.secrets = secrets.filter { !$0.isEmpty }
        limiter = settings.requestsPerSecond.map { RateLimiter(requestsPerSecond: $0) }
        transport = HTTPTransport(settings: .init(
            system: system, baseURL: settings.url, headers: headers, timeoutMillis: settings.timeoutMillis, concurrency: settings.concurrency,
            insecureSkipTLSVerify: settings.insecureSkipTLSVerify))
    }

    func shutdown() async { await transport.shutdown() }

    /// Sends a request to `path` (relative to the base URL) with `query` parameters; the caller checks the status.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil, headers: [(String, String)] = []
    ) async throws -> HTTPTransport.Response {
        var parameters = query.map { "\(escapeQueryValue($0.0))=\(escapeQueryValue($0.1))" }
        if let queryAuth { parameters.append(queryAuth) }
        var target = path
        if !parameters.isEmpty { target += (path.contains("?") ? "&" : "?") + parameters.joined(separator: "&") }
        if let limiter { await limiter.acquire() }
        do {
            return try await transport.send(method, target, body: body, headers: headers)
        } catch let error as ConnectorError {
            throw redacted(error)
        }
    }

    /// The body as JSON after checking the status; `context` names the request in messages.
    func json(_ response: HTTPTransport.Response, context: String) throws -> JSONValue {
        try check(response, context: context)
        if response.body.isEmpty { return .null }
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw ConnectorError.invalidResponse(system: system, message: "\(context): \(error)")
        }
    }

    /// Classifies error statuses: 429, 408 and 5xx are transient (with `Retry-After`), 401/403 stop the flow,
    /// 412 is a version mismatch, other 4xx reject the record.
    func check(_ response: HTTPTransport.Response, context: String, id: String? = nil) throws {
        guard response.status >= 300 else { return }
        let detail = Self.errorDetail(response.body)
        let message = redact("\(context): HTTP \(response.status)\(detail.message.map { " \($0)" } ?? "")")
        switch response.status {
        case 429, 408, 500...599:
            throw ConnectorError.transient(system: system, message: message, retryAfterSeconds: RetryAfter.seconds(response.header("Retry-After")))
        case 401, 403:
            throw ConnectorError.fatal(system: system, message: "\(message) (check the system's credentials)")
        case 412:
            throw ConnectorError.versionMismatch(system: system, id: id ?? context)
        default:
            throw ConnectorError.rejected(system: system, status: response.status, message: message, property: detail.property)
        }
    }

    /// A message and property from the usual error body shapes (`{"error": {"message", "property"}}`,
    /// `{"message"}`, `{"error": "…"}`, `{"detail"}`, `{"errors": [{"message", "field"}]}`), or the start of the text.
    static func errorDetail(_ body: [UInt8]) -> (message: String?, property: String?) {
        guard !body.isEmpty else { return (nil, nil) }
        guard let json = try? JSONValue.parse(body) else {
            let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return (text.isEmpty ? nil : text, nil)
        }
        let first = json["errors"]?.arrayValue?.first
        let message = json["error"]?["message"]?.stringValue ?? json["message"]?.stringValue ?? json["error"]?.stringValue
            ?? json["detail"]?.stringValue ?? first?["message"]?.stringValue ?? first?.stringValue
        let property = json["error"]?["property"]?.stringValue ?? json["property"]?.stringValue ?? first?["field"]?.stringValue
            ?? first?["property"]?.stringValue
        return (message.map { String($0.prefix(300)) }, property)
    }

    func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    func redacted(_ error: ConnectorError) -> ConnectorError {
        switch error {
        case .transient(let system, let message, let retry): .transient(system: system, message: redact(message), retryAfterSeconds: retry)
        case .rejected(let system, let status, let message, let property):
            .rejected(system: system, status: status, message: redact(message), property: property)
        case .fatal(let system, let message): .fatal(system: system, message: redact(message))
        case .invalidResponse(let system, let message): .invalidResponse(system: system, message: redact(message))
        case .versionMismatch, .notFound: error
        }
    }
}
