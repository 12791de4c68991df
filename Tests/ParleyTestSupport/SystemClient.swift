import Foundation
import ParleyConnectors
import ParleyCore

/// Talks to a reference system directly, the way its users would (edits behind Parley's back).
public final class SystemClient: Sendable {
    let transport: HTTPTransport
    public let baseURL: String

    public init(baseURL: String, token: String? = nil) {
        self.baseURL = baseURL
        transport = HTTPTransport(settings: .init(
            system: baseURL, baseURL: baseURL, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [], concurrency: 16))
    }

    public func shutdown() async { await transport.shutdown() }

    public struct Failure: Error, CustomStringConvertible {
        public var status: Int
        public var body: String
        public var description: String { "HTTP \(status): \(body)" }
    }

    @discardableResult
    public func request(_ method: String, _ path: String, _ body: JSONValue? = nil, headers: [(String, String)] = []) async throws -> JSONValue {
        let response = try await transport.send(.init(rawValue: method), path, body: body, headers: headers)
        guard response.status < 300 else { throw Failure(status: response.status, body: String(decoding: response.body, as: UTF8.self)) }
        if response.body.isEmpty { return .null }
        return try JSONValue.parse(response.body)
    }

    public func get(_ collection: String, _ id: String) async throws -> JSONValue? {
        do {
            return try await request("GET", "/\(collection)/\(escapePathSegment(id))")
        } catch let failure as Failure where failure.status == 404 || failure.status == 410 {
            return nil
        }
    }

    @discardableResult
    public func create(_ collection: String, _ body: JSONValue) async throws -> JSONValue {
        try await request("POST", "/\(collection)", body)
    }

    @discardableResult
    public func patch(_ collection: String, _ id: String, _ body: JSONValue) async throws -> JSONValue {
        try await request("PATCH", "/\(collection)/\(escapePathSegment(id))", body)
    }

    public func delete(_ collection: String, _ id: String) async throws {
        try await request("DELETE", "/\(collection)/\(escapePathSegment(id))")
    }

    /// Every live (not deleted) record of a collection, read through the change feed.
    public func all(_ collection: String) async throws -> [JSONValue] {
        var records: [String: JSONValue] = [:]
        var order: [String] = []
        var cursor: String?
        while true {
            var path = "/\(collection)?limit=1000"
            if let cursor { path += "&since=\(cursor)" }
            let page = try await request("GET", path)
            for item in page["items"]?.arrayValue ?? [] {
                guard let id = Self.id(item) else { continue }
                if records[id] == nil { order.append(id) }
                records[id] = item
            }
            cursor = page["next"]?.stringValue
            if page["hasMore"]?.boolValue != true { break }
        }
        return order.compactMap { records[$0] }.filter { $0["deleted"]?.boolValue != true }
    }

    public static func id(_ record: JSONValue) -> String? {
        switch record["id"] {
        case .string(let s): s
        case .number(let n): n
        default: nil
        }
    }
}
