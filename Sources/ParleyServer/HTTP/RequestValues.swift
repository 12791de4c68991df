import Foundation
import Hummingbird
import ParleyCore

/// Reading what a request carries: path parameters (percent-decoded), query values, JSON bodies.
extension Request {
    /// Query parameters, decoded as a form (`+` is a space).
    var query: [String: String] { FormDecoding.parse(uri.query ?? "") }

    /// The body as JSON; an empty body reads as an empty object.
    mutating func jsonBody(limit: Int = 1 << 20) async throws -> JSONValue {
        let buffer = try await collectBody(upTo: limit)
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object([:]) }
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw APIFailure(.badRequest, code: "invalid-json", "the request body is not valid JSON: \(error)")
        }
    }
}

extension BasicRequestContext {
    /// A path parameter, percent-decoded.
    func parameter(_ name: String) throws -> String {
        guard let raw = parameters.get(name) else { throw APIFailure(.badRequest, code: "missing-parameter", "missing path parameter '\(name)'") }
        return raw.removingPercentEncoding ?? raw
    }
}

/// A failure the API reports as is: status, a stable code, and a message that says what to do.
struct APIFailure: Error, CustomStringConvertible {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    var description: String { message }

    static func notFound(_ message: String) -> APIFailure { APIFailure(.notFound, code: "not-found", message) }
    static func invalid(_ message: String) -> APIFailure { APIFailure(.unprocessableContent, code: "invalid", message) }
}

extension HTTPFields {
    /// The first value of a header named `name` (any case), for headers HTTPTypes has no constant for.
    func value(named name: String) -> String? {
        let wanted = name.lowercased()
        return first { $0.name.canonicalName == wanted }?.value
    }
}
