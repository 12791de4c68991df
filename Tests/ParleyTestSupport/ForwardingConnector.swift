import ParleyCore

/// A connector that hands every call to `base`: a test's wrapper implements only the calls it changes.
public protocol ForwardingConnector: Connector {
    var base: any Connector { get }
}

extension ForwardingConnector {
    public var system: String { base.system }
    public func schema() async throws -> SystemSchema { try await base.schema() }
    public func changes(datatype: String, since cursor: String?, limit: Int) async throws -> ChangePage {
        try await base.changes(datatype: datatype, since: cursor, limit: limit)
    }
    public func fetch(datatype: String, id: String) async throws -> NativeRecord? { try await base.fetch(datatype: datatype, id: id) }
    public func create(datatype: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord {
        try await base.create(datatype: datatype, fields: fields, idempotencyKey: idempotencyKey)
    }
    public func update(datatype: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord {
        try await base.update(datatype: datatype, id: id, fields: fields, ifMatch: ifMatch)
    }
    public func delete(datatype: String, id: String) async throws { try await base.delete(datatype: datatype, id: id) }
    public func find(datatype: String, matching fields: [String: JSONValue]) async throws -> [NativeRecord]? {
        try await base.find(datatype: datatype, matching: fields)
    }
}
