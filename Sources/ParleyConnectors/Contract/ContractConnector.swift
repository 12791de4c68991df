import AsyncHTTPClient
import Foundation
import NIOHTTP1
import ParleyCore

/// Connector for systems that implement the Custom System contract (Contracts/custom-system.yaml).
public final class ContractConnector: Connector {
    public let system: String
    let transport: HTTPTransport
    let schemaCache = SchemaCache()

    public init(system: String, baseURL: String, token: String?, timeoutMillis: Int = 10_000, concurrency: Int = 8, insecureSkipTLSVerify: Bool = false) {
        self.system = system
        var headers: [(String, String)] = []
        if let token, !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        transport = HTTPTransport(settings: .init(
            system: system, baseURL: baseURL, headers: headers, timeoutMillis: timeoutMillis, concurrency: concurrency,
            insecureSkipTLSVerify: insecureSkipTLSVerify))
    }

    public func shutdown() async { await transport.shutdown() }

    public func schema() async throws -> SystemSchema {
        if let cached = await schemaCache.value { return cached }
        let json = try await requestJSON(.GET, "/schema")
        let schema = try ContractSchemaDecoding.decode(json, system: system)
        await schemaCache.set(schema)
        return schema
    }

    func datatype(_ name: String) async throws -> DatatypeSchema {
        guard let datatype = try await schema().datatype(name) else {
            throw ConnectorError.fatal(system: system, message: "the system's /schema has no datatype '\(name)'")
        }
        return datatype
    }

    public func changes(datatype name: String, since cursor: String?, limit: Int) async throws -> ChangePage {
        let datatype = try await datatype(name)
        var path = "/\(escapePathSegment(datatype.collection))?limit=\(limit)"
        if let cursor { path += "&since=\(escapeQueryValue(cursor))" }
        let page = try await feedPage(path, collection: datatype.collection)
        let records = page.items.map { item -> ChangeItem in
            switch item {
            case .value(let value):
                do {
                    return .record(try ContractRecordDecoding.record(value, datatype: datatype, system: system, version: nil))
                } catch {
                    let id = ContractRecordDecoding.idText(value[datatype.idField]) ?? ContractRecordDecoding.placeholderId(value.jsonBytes)
                    return .malformed(id: id, reason: "\(error)")
                }
            case .broken(let bytes, let error):
                // Name the record if its id can be read once invalid bytes are replaced.
                let lossy = try? JSONValue.parse(String(decoding: bytes, as: UTF8.self))
                let id = ContractRecordDecoding.idText(lossy?[datatype.idField])
                return .malformed(
                    id: id ?? ContractRecordDecoding.placeholderId(bytes),
                    reason: "\(system) \(datatype.name)\(id.map { " \($0)" } ?? ""): record is not valid JSON: \(error)")
            }
        }
        return ChangePage(items: records, next: page.next, hasMore: page.hasMore)
    }

    /// A change-feed page; when some items are not valid JSON (invalid UTF-8, say), the others are still read.
    func feedPage(_ path: String, collection: String) async throws -> FeedPageSalvage.Page {
        let response = try await transport.send(.GET, path)
        try check(response, context: "GET \(path)")
        let json: JSONValue
        do {
            json = try JSONValue.parse(response.body)
        } catch {
            guard let page = FeedPageSalvage.salvage(response.body) else {
                throw ConnectorError.invalidResponse(system: system, message: "GET \(path): \(error)")
            }
            return page
        }
        guard let items = json["items"]?.arrayValue, let next = json["next"]?.stringValue else {
            throw ConnectorError.invalidResponse(system: system, message: "change feed of \(collection) lacks 'items' or 'next'")
        }
        return FeedPageSalvage.Page(items: items.map { .value($0) }, next: next, hasMore: json["hasMore"]?.boolValue ?? false)
    }

    public func fetch(datatype name: String, id: String) async throws -> NativeRecord? {
        let datatype = try await datatype(name)
        let response = try await transport.send(.GET, "/\(escapePathSegment(datatype.collection))/\(escapePathSegment(id))")
        if response.status == 404 || response.status == 410 { return nil }
        return try record(from: response, datatype: datatype, context: "GET \(datatype.collection)/\(id)")
    }

    public func create(datatype name: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord {
        let datatype = try await datatype(name)
        let response = try await transport.send(
            .POST, "/\(escapePathSegment(datatype.collection))", body: fields, headers: [("Idempotency-Key", idempotencyKey)])
        return try record(from: response, datatype: datatype, context: "POST \(datatype.collection)")
    }

    public func update(datatype name: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord {
        let datatype = try await datatype(name)
        var headers: [(String, String)] = []
        if let ifMatch { headers.append(("If-Match", ifMatch)) }
        let response = try await transport.send(
            .PATCH, "/\(escapePathSegment(datatype.collection))/\(escapePathSegment(id))", body: fields, headers: headers)
        if response.status == 412 { throw ConnectorError.versionMismatch(system: system, id: id) }
        if response.status == 404 || response.status == 410 { throw ConnectorError.notFound(system: system, datatype: name, id: id) }
        return try record(from: response, datatype: datatype, context: "PATCH \(datatype.collection)/\(id)")
    }

    public func delete(datatype name: String, id: String) async throws {
        let datatype = try await datatype(name)
        let response = try await transport.send(.DELETE, "/\(escapePathSegment(datatype.collection))/\(escapePathSegment(id))")
        if response.status == 404 || response.status == 410 { return }
        try check(response, context: "DELETE \(datatype.collection)/\(id)")
    }

    // MARK: - Webhook subscriptions

    /// Registers (or re-registers) a webhook for the given collections; returns the subscription id.
    public func subscribe(url: String, secret: String, collections: [String]) async throws -> String {
        let existing = try await requestJSON(.GET, "/webhooks")
        for hook in existing.arrayValue ?? existing["items"]?.arrayValue ?? [] where hook["url"]?.stringValue == url {
            if let id = ContractRecordDecoding.idText(hook["id"]) {
                _ = try? await transport.send(.DELETE, "/webhooks/\(escapePathSegment(id))")
            }
        }
        let body: JSONValue = ["url": .string(url), "secret": .string(secret), "collections": .array(collections.map(JSONValue.string))]
        let created = try await requestJSON(.POST, "/webhooks", body: body)
        guard let id = ContractRecordDecoding.idText(created["id"]) else {
            throw ConnectorError.invalidResponse(system: system, message: "webhook subscription answer has no id")
        }
        return id
    }

    /// Removes a subscription; one that is already gone counts as removed.
    public func unsubscribe(id: String) async throws {
        let response = try await transport.send(.DELETE, "/webhooks/\(escapePathSegment(id))")
        if response.status == 404 || response.status == 410 { return }
        try check(response, context: "DELETE /webhooks/\(id)")
    }

    // MARK: - Helpers

    func requestJSON(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        let response = try await transport.send(method, path, body: body)
        try check(response, context: "\(method.rawValue) \(path)")
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw ConnectorError.invalidResponse(system: system, message: "\(method.rawValue) \(path): \(error)")
        }
    }

    func record(from response: HTTPTransport.Response, datatype: DatatypeSchema, context: String) throws -> NativeRecord {
        try check(response, context: context)
        let json: JSONValue
        do {
            json = try JSONValue.parse(response.body)
        } catch {
            throw ConnectorError.invalidResponse(system: system, message: "\(context): \(error)")
        }
        do {
            return try ContractRecordDecoding.record(json, datatype: datatype, system: system, version: response.header("ETag"))
        } catch {
            throw ConnectorError.invalidResponse(system: system, message: "\(context): \(error)")
        }
    }

    func check(_ response: HTTPTransport.Response, context: String) throws {
        guard response.status >= 300 else { return }
        let error = try? JSONValue.parse(response.body)
        let message = error?["error"]?["message"]?.stringValue ?? "HTTP \(response.status)"
        let property = error?["error"]?["property"]?.stringValue
        switch response.status {
        case 429, 500...599, 408:
            let retryAfter = response.header("Retry-After").flatMap(Double.init)
            throw ConnectorError.transient(system: system, message: "\(context): HTTP \(response.status) \(message)", retryAfterSeconds: retryAfter)
        case 401, 403:
            throw ConnectorError.fatal(system: system, message: "\(context): HTTP \(response.status) \(message) (check the system's token)")
        case 412:
            throw ConnectorError.versionMismatch(system: system, id: context)
        default:
            throw ConnectorError.rejected(system: system, status: response.status, message: "\(context): \(message)", property: property)
        }
    }
}

func escapeQueryValue(_ value: String) -> String {
    escapePathSegment(value).replacingOccurrences(of: "%2E", with: ".")
}

actor SchemaCache {
    var value: SystemSchema?
    func set(_ schema: SystemSchema) { value = schema }
}
