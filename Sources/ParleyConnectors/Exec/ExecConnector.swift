import Logging
import ParleyConfig
import ParleyCore

/// Connector for any program that speaks the exec protocol (docs/exec-protocol.md): JSON lines over
/// stdin/stdout — describe, changes, get, create, update, delete, find.
public final class ExecConnector: ManagedConnector {
    public let system: String
    let process: ExecProcess
    let schemaCache = SchemaCache()

    public init(system: String, settings: ExecSettings, logger: Logger = Logger(label: "parley.connector.exec")) {
        self.system = system
        process = ExecProcess(system: system, settings: settings, logger: logger)
    }

    public func shutdown() async { await process.stop() }

    public func schema() async throws -> SystemSchema {
        if let cached = await schemaCache.value { return cached }
        let result = try await call("describe", [:])
        var described = result
        if case .object(var object) = result, let datatypes = object["datatypes"]?.arrayValue {
            object["datatypes"] = .array(datatypes.map { datatype in
                guard case .object(var fields) = datatype, fields["collection"] == nil else { return datatype }
                fields["collection"] = fields["name"] ?? .null
                return .object(fields)
            })
            described = .object(object)
        }
        let schema = try ContractSchemaDecoding.decode(described, system: system)
        await schemaCache.set(schema)
        return schema
    }

    public func changes(datatype: String, since cursor: String?, limit: Int) async throws -> ChangePage {
        let result = try await call("changes", ["datatype": .string(datatype), "cursor": cursor.map(JSONValue.string) ?? .null, "limit": .int(limit)])
        guard let items = result["items"]?.arrayValue, let next = result["next"]?.stringValue else {
            throw ConnectorError.invalidResponse(system: system, message: "changes of \(datatype): the result lacks 'items' or 'next'")
        }
        return ChangePage(items: items.map { item(datatype, $0) }, next: next, hasMore: result["hasMore"]?.boolValue ?? false)
    }

    public func fetch(datatype: String, id: String) async throws -> NativeRecord? {
        do {
            let result = try await call("get", ["datatype": .string(datatype), "recordId": .string(id)])
            guard let record = result["record"], !record.isNull else { return nil }
            return try self.record(datatype, record, context: "get \(datatype) \(id)")
        } catch ConnectorError.notFound {
            return nil
        }
    }

    public func create(datatype: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord {
        let result = try await call("create", ["datatype": .string(datatype), "fields": fields, "idempotencyKey": .string(idempotencyKey)])
        return try record(datatype, result["record"] ?? .null, context: "create \(datatype)")
    }

    public func update(datatype: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord {
        let result = try await call(
            "update", ["datatype": .string(datatype), "recordId": .string(id), "fields": fields, "ifMatch": ifMatch.map(JSONValue.string) ?? .null],
            id: id, datatype: datatype)
        return try record(datatype, result["record"] ?? .null, context: "update \(datatype) \(id)")
    }

    public func delete(datatype: String, id: String) async throws {
        do {
            _ = try await call("delete", ["datatype": .string(datatype), "recordId": .string(id)], id: id, datatype: datatype)
        } catch ConnectorError.notFound {
            return
        }
    }

    public func find(datatype: String, matching fields: [String: JSONValue]) async throws -> [NativeRecord]? {
        let result: JSONValue
        do {
            result = try await call("find", ["datatype": .string(datatype), "match": .object(fields)])
        } catch let error as ExecUnsupported {
            _ = error
            return nil
        }
        guard let records = result["records"]?.arrayValue else {
            throw ConnectorError.invalidResponse(system: system, message: "find in \(datatype): the result lacks 'records'")
        }
        return try records.map { try record(datatype, $0, context: "find in \(datatype)") }
    }

    // MARK: - Protocol

    func call(_ operation: String, _ parameters: [String: JSONValue], id: String? = nil, datatype: String? = nil) async throws -> JSONValue {
        let response = try await process.request(operation, parameters)
        if let error = response["error"], !error.isNull {
            throw ExecErrors.error(from: error, system: system, operation: operation, datatype: datatype ?? parameters["datatype"]?.stringValue, id: id)
        }
        guard let result = response["result"] else {
            throw ConnectorError.invalidResponse(system: system, message: "\(operation): the response has neither 'result' nor 'error'")
        }
        return result
    }

    func item(_ datatype: String, _ json: JSONValue) -> ChangeItem {
        do {
            return .record(try record(datatype, json, context: "changes of \(datatype)"))
        } catch {
            return .malformed(id: ContractRecordDecoding.idText(json["id"]), reason: "\(error)")
        }
    }

    /// `{"id", "fields", "changedAt"?, "deleted"?, "version"?}` -> `NativeRecord`.
    func record(_ datatype: String, _ json: JSONValue, context: String) throws -> NativeRecord {
        guard case .object = json, let id = ContractRecordDecoding.idText(json["id"]) else {
            throw ConnectorError.invalidResponse(system: system, message: "\(context): a record needs an 'id' (string or number)")
        }
        let fields = json["fields"] ?? .object([:])
        guard case .object = fields else {
            throw ConnectorError.invalidResponse(system: system, message: "\(context) \(id): 'fields' is a \(fields.typeName), expected an object")
        }
        var changedAt: Int64?
        if let marker = json["changedAt"], !marker.isNull {
            guard let millis = marker.int64Value ?? marker.stringValue.flatMap(LenientTimestamp.millis) else {
                throw ConnectorError.invalidResponse(system: system, message: "\(context) \(id): 'changedAt' is neither epoch milliseconds nor RFC 3339")
            }
            changedAt = millis
        }
        return NativeRecord(
            id: id, fields: fields, changedAtMillis: changedAt, deleted: json["deleted"]?.boolValue ?? false, version: json["version"]?.stringValue)
    }
}

/// The program answered `unsupported` (an optional operation such as `find`).
struct ExecUnsupported: Error {}

enum ExecErrors {
    static func error(from json: JSONValue, system: String, operation: String, datatype: String?, id: String?) -> any Error {
        let code = json["code"]?.stringValue ?? "error"
        let message = "\(operation)\(datatype.map { " \($0)" } ?? "")\(id.map { " \($0)" } ?? ""): \(json["message"]?.stringValue ?? code)"
        switch code {
        case "not_found": return ConnectorError.notFound(system: system, datatype: datatype ?? "", id: id ?? "")
        case "rejected", "invalid": return ConnectorError.rejected(system: system, status: 422, message: message, property: json["property"]?.stringValue)
        case "conflict", "version_mismatch": return ConnectorError.versionMismatch(system: system, id: id ?? "")
        case "transient", "unavailable", "rate_limited":
            return ConnectorError.transient(system: system, message: message, retryAfterSeconds: json["retryAfter"].flatMap { Double($0.numberText ?? "") })
        case "unsupported": return ExecUnsupported()
        default: return ConnectorError.fatal(system: system, message: "\(message) (error code '\(code)')")
        }
    }
}
