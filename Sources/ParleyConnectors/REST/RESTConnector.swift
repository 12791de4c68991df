import NIOHTTP1
import ParleyConfig
import ParleyCore

/// Connector for JSON-over-HTTP APIs that do not follow the Custom System contract, configured per
/// datatype (`connector: rest`): paths, response shapes, pagination, change detection, write methods.
/// Without a since-parameter every pass reads the whole collection and reports only records whose
/// content hash changed (see `FullScanFeed`).
public final class RESTConnector: ManagedConnector {
    public let system: String
    let title: String
    let settings: RESTSettings
    let client: RESTClient
    let datatypes: [String: RESTDatatype]
    let scanStore: LazyScanStore

    /// `scanStatePath`: the SQLite file keeping full-scan hashes (needed when a datatype has no since-parameter).
    public init(system: String, title: String? = nil, settings: RESTSettings, scanStatePath: String) {
        self.system = system
        self.title = title ?? system
        self.settings = settings
        client = RESTClient(system: system, settings: settings)
        datatypes = Dictionary(settings.datatypes.map { ($0.schema.name, RESTDatatype(system: system, settings: $0)) }, uniquingKeysWith: { a, _ in a })
        scanStore = LazyScanStore(path: scanStatePath)
    }

    public func shutdown() async { await client.shutdown() }

    public func schema() async throws -> SystemSchema {
        SystemSchema(system: system, name: title, datatypes: settings.datatypes.map(\.schema))
    }

    func datatype(_ name: String) throws -> RESTDatatype {
        guard let datatype = datatypes[name] else {
            throw ConnectorError.fatal(system: system, message: "no datatype '\(name)' is configured (configured: \(datatypes.keys.sorted().joined(separator: ", ")))")
        }
        return datatype
    }

    public func changes(datatype name: String, since cursor: String?, limit: Int) async throws -> ChangePage {
        let datatype = try datatype(name)
        switch datatype.settings.changes {
        case .since(let param, let format, let overlap):
            return try await sinceChanges(datatype, param: param, format: format, overlapMillis: overlap, cursor: cursor)
        case .fullScan:
            let feed = FullScanFeed(
                store: try await scanStore.get(), system: system, datatype: name, idField: datatype.idField, idIsInteger: datatype.settings.idIsInteger,
                hashFields: datatype.hashFields)
            return try await feed.changes(since: cursor, limit: limit) { RESTScanPager(connector: self, datatype: datatype) }
        }
    }

    public func fetch(datatype name: String, id: String) async throws -> NativeRecord? {
        let datatype = try datatype(name)
        let path = try itemPath(datatype, id: id)
        let response = try await client.send(.GET, path)
        if response.status == 404 || response.status == 410 { return nil }
        let body = try client.json(response, context: "GET \(path)")
        guard let record = datatype.record(in: body) else {
            throw ConnectorError.invalidResponse(system: system, message: "GET \(path): no record object at '\(datatype.settings.recordPointer)'")
        }
        guard datatype.accepts(record) else { return nil }
        return try datatype.native(record, etag: response.header("ETag"))
    }

    public func create(datatype name: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord {
        let datatype = try datatype(name)
        let body = datatype.createBody(fields)
        let create = datatype.settings.create
        let path: String
        if let template = create.path {
            path = try render(template, values: Self.placeholderValues(template, from: body), datatype: datatype, context: "create path")
        } else {
            path = try render(datatype.settings.collectionPath, values: [:], datatype: datatype, context: "collection path")
        }
        var headers: [(String, String)] = []
        if let header = create.idempotencyHeader { headers.append((header, idempotencyKey)) }
        let method = HTTPMethod(rawValue: create.method)
        let context = "\(create.method) \(path)"
        let response = try await client.send(method, path, body: datatype.wrapped(body), headers: headers)
        let answer = try client.json(response, context: context)
        let returned = datatype.record(in: answer)
        let id: String
        switch create.idFrom {
        case .body:
            guard let returned, let value = datatype.idText(returned) else {
                throw ConnectorError.invalidResponse(system: system, message: "\(context): the answer has no id at '\(datatype.settings.recordPointer)' field '\(datatype.idField)'")
            }
            id = value
        case .location:
            guard let location = response.header("Location"), let last = location.split(separator: "?").first?.split(separator: "/").last,
                let value = String(last).removingPercentEncoding, !value.isEmpty
            else {
                throw ConnectorError.invalidResponse(system: system, message: "\(context): the answer has no Location header with the new record's id")
            }
            id = value
        }
        return try await stored(datatype, id: id, answer: returned, etag: response.header("ETag"), context: context)
    }

    public func update(datatype name: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord {
        let datatype = try datatype(name)
        let path = try itemPath(datatype, id: id)
        var headers: [(String, String)] = []
        let body: JSONValue
        switch datatype.settings.updateMethod {
        case .patch:
            if let ifMatch, Self.isETag(ifMatch) { headers.append(("If-Match", ifMatch)) }
            body = fields
        case .put:
            // Read-modify-write: the system replaces the whole record, so send it whole.
            guard let current = try await fetch(datatype: name, id: id) else { throw ConnectorError.notFound(system: system, datatype: name, id: id) }
            if let ifMatch, current.version != ifMatch { throw ConnectorError.versionMismatch(system: system, id: id) }
            if let etag = current.version, Self.isETag(etag) { headers.append(("If-Match", etag)) }
            body = RESTDatatype.merged(current.fields, fields)
        }
        let method = datatype.settings.updateMethod.rawValue
        let context = "\(method) \(path)"
        let response = try await client.send(HTTPMethod(rawValue: method), path, body: datatype.wrapped(body), headers: headers)
        if response.status == 404 || response.status == 410 { throw ConnectorError.notFound(system: system, datatype: name, id: id) }
        try client.check(response, context: context, id: id)
        let answer = try client.json(response, context: context)
        return try await stored(datatype, id: id, answer: datatype.record(in: answer), etag: response.header("ETag"), context: context)
    }

    public func delete(datatype name: String, id: String) async throws {
        let datatype = try datatype(name)
        let path = try itemPath(datatype, id: id)
        let response = try await client.send(.DELETE, path)
        if response.status == 404 || response.status == 410 { return }
        try client.check(response, context: "DELETE \(path)", id: id)
    }

    /// Lists the collection and compares the fields client-side (REST APIs rarely search by arbitrary fields).
    public func find(datatype name: String, matching fields: [String: JSONValue]) async throws -> [NativeRecord]? {
        let datatype = try datatype(name)
        var pager = RESTScanPager(connector: self, datatype: datatype)
        var found: [NativeRecord] = []
        while let page = try await pager.nextPage() {
            for case .record(let record) in page
            where fields.allSatisfy({ key, value in RecordFilter(field: key, condition: .equals(value)).accepts(record.fields) }) {
                found.append(record)
            }
        }
        return found
    }

    // MARK: - Helpers

    /// What the system stored: the answer when it holds the whole record, else a fresh read.
    func stored(_ datatype: RESTDatatype, id: String, answer: JSONValue?, etag: String?, context: String) async throws -> NativeRecord {
        if let answer, datatype.idText(answer) != nil, (answer.objectValue?.count ?? 0) > 1 {
            return try datatype.native(answer, etag: etag)
        }
        let path = try itemPath(datatype, id: id)
        let response = try await client.send(.GET, path)
        let body = try client.json(response, context: "GET \(path) after \(context)")
        guard let record = datatype.record(in: body) else {
            throw ConnectorError.invalidResponse(system: system, message: "GET \(path) after \(context): no record at '\(datatype.settings.recordPointer)'")
        }
        return try datatype.native(record, etag: response.header("ETag"))
    }

    func itemPath(_ datatype: RESTDatatype, id: String) throws -> String {
        try render(datatype.settings.itemPath, values: ["id": id], datatype: datatype, context: "item path")
    }

    func render(_ template: ValueTemplate, values: [String: String], datatype: RESTDatatype, context: String) throws -> String {
        switch template.renderPath(values) {
        case .success(let path): return path
        case .failure(let missing):
            throw ConnectorError.rejected(
                system: system, status: 0, message: "\(datatype.name): the \(context) '\(template)' needs field '\(missing.name)', which is empty",
                property: missing.name)
        }
    }

    static func placeholderValues(_ template: ValueTemplate, from body: JSONValue) -> [String: String] {
        var values: [String: String] = [:]
        for field in template.fields { values[field] = ValueTemplate.text(of: body.value(at: field)) }
        return values
    }

    static func isETag(_ text: String) -> Bool { text.hasPrefix("\"") || text.hasPrefix("W/\"") }
}
