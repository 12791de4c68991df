/// What the engine needs from one connected system. Connectors (contract HTTP, configurable REST, SQL,
/// exec) implement it; the engine never knows which one it talks to.
public protocol Connector: Sendable {
    /// The system's name in the configuration (`erp`).
    var system: String { get }
    /// Datatypes, properties and types, as the system describes itself (or as configured).
    func schema() async throws -> SystemSchema
    /// Changes after `cursor` (nil: from the beginning), in change order.
    func changes(datatype: String, since cursor: String?, limit: Int) async throws -> ChangePage
    /// The record as stored now; nil when it does not exist or was deleted.
    func fetch(datatype: String, id: String) async throws -> NativeRecord?
    /// Creates a record. `idempotencyKey` is stable across retries and restarts; systems that honour it
    /// return the first result for a repeated key.
    func create(datatype: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord
    /// Changes only the given fields (PATCH semantics); `ifMatch` is the version read before.
    func update(datatype: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord
    func delete(datatype: String, id: String) async throws
    /// Finds records whose merge-key fields equal the given values; used to adopt a record whose create
    /// may have succeeded without an answer. Connectors that cannot search return nil.
    func find(datatype: String, matching fields: [String: JSONValue]) async throws -> [NativeRecord]?
}

extension Connector {
    public func find(datatype: String, matching fields: [String: JSONValue]) async throws -> [NativeRecord]? { nil }
}

/// Errors a connector reports, classified so the engine knows whether to retry, quarantine or stop.
public enum ConnectorError: Error, Sendable, CustomStringConvertible {
    /// Worth retrying later: 5xx, 429, timeouts, refused or reset connections.
    case transient(system: String, message: String, retryAfterSeconds: Double?)
    /// The system refused this record (4xx validation, conflict): retrying unchanged will not help.
    case rejected(system: String, status: Int, message: String, property: String?)
    /// Optimistic concurrency failed: the record changed since it was read.
    case versionMismatch(system: String, id: String)
    /// The record does not exist (any more).
    case notFound(system: String, datatype: String, id: String)
    /// Authentication failed or the system is misconfigured: the whole flow stops.
    case fatal(system: String, message: String)
    /// The system answered something that does not follow its protocol.
    case invalidResponse(system: String, message: String)

    public var description: String {
        switch self {
        case .transient(let system, let message, _): "\(system): temporarily unavailable: \(message)"
        case .rejected(let system, let status, let message, let property):
            "\(system) rejected the record (HTTP \(status))\(property.map { " on property '\($0)'" } ?? ""): \(message)"
        case .versionMismatch(let system, let id): "\(system): record \(id) changed while being written (version mismatch)"
        case .notFound(let system, let datatype, let id): "\(system): \(datatype) \(id) not found"
        case .fatal(let system, let message): "\(system): \(message)"
        case .invalidResponse(let system, let message): "\(system): invalid response: \(message)"
        }
    }

    public var isTransient: Bool { if case .transient = self { true } else { false } }

    /// Whether the error concerns the whole system (authentication, configuration) rather than one record.
    public var stopsFlow: Bool { if case .fatal = self { true } else { false } }
}
