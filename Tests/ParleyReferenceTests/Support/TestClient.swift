import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
@testable import ParleyReference

/// One HTTP answer, with the body parsed as JSON when it is JSON.
struct TestResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]

    var json: JSONValue {
        (try? JSONParser.parse(body)) ?? .null
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The error object's `code`, `message`, `property`.
    var errorCode: String? { json["error"]?["code"]?.stringValue }
    var errorMessage: String { json["error"]?["message"]?.stringValue ?? "" }
    var errorProperty: String? { json["error"]?["property"]?.stringValue }
}

/// A small client for a reference system under test.
struct TestClient: Sendable {
    let baseURL: String
    var token: String?

    func send(
        _ method: HTTPMethod,
        _ path: String,
        body: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Array(collected.readableBytesView))
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(.GET, path, headers: headers)
    }

    func post(_ path: String, _ body: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(.POST, path, body: body, headers: headers)
    }

    func patch(_ path: String, _ body: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(.PATCH, path, body: body, headers: headers)
    }

    func delete(_ path: String, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(.DELETE, path, headers: headers)
    }
}

extension JSONValue {
    /// Compact JSON text, for building request bodies in tests.
    var text: String { JSONWriter.string(self) }

    /// An id as it appears in a URL path (strings without quotes).
    var pathText: String { stringValue ?? text }
}
