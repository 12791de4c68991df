import Foundation
import Hummingbird
import ParleyCore

/// Serves the hostile system like the Custom PMS serves customers (`/schema`, the change feed, records),
/// except where a fault rule or a scripted feed page says otherwise. Every request is logged raw.
struct HostileResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let state: HostileState

    struct ConnectionReset: Error {}

    func respond(to request: Request, context: Context) async throws -> Response {
        let method = request.method.rawValue
        let target = request.uri.string
        await state.log(method: method, target: target)
        switch await state.fault(method: method, target: target) {
        case .status(let code, let retryAfter):
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter { headers[.retryAfter] = retryAfter }
            return Response(
                status: .init(code: code), headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"code":"injected","message":"injected \#(code)"}}"#)))
        case .stall(let duration):
            try await Task.sleep(for: duration)
        case .reset:
            return Response(
                status: .ok, headers: [.contentType: "application/json", .contentLength: "100000"],
                body: ResponseBody(contentLength: 100_000) { writer in
                    try await writer.write(ByteBuffer(string: #"{"items":[{"id":"#))
                    throw ConnectionReset()
                })
        case .acceptThenStall(let duration):
            let response = try await route(request)
            try await Task.sleep(for: duration)
            return response
        case .body(let bytes):
            return json(bytes)
        case nil:
            break
        }
        return try await route(request)
    }

    func route(_ request: Request) async throws -> Response {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let decoded = segments.compactMap { $0.removingPercentEncoding }
        guard decoded.count == segments.count else { return error(400, "undecodable path") }
        switch (request.method, decoded.count, decoded.first) {
        case (.get, 1, "schema"):
            return json(Self.schema.jsonBytes)
        case (.get, 1, "customers"):
            let query = request.uri.queryParameters
            let limit = query["limit"].flatMap { Int(String($0)) } ?? 100
            return json(await state.feedPage(since: query["since"].map(String.init), limit: limit))
        case (.post, 1, "customers"):
            let body = try await bodyJSON(request)
            return write(await state.create(body, idempotencyKey: HTTPFields.Element.Name("Idempotency-Key").flatMap { request.headers[$0] }))
        case (.get, 2, "customers"):
            guard let (record, version) = await state.read(decoded[1]) else { return error(404, "no customer \(decoded[1])") }
            return json(record.jsonBytes, headers: [.eTag: "\"\(version)\""])
        case (.patch, 2, "customers"):
            let body = try await bodyJSON(request)
            return write(await state.patch(decoded[1], body, ifMatch: request.headers[.ifMatch]))
        case (.delete, 2, "customers"):
            return await state.delete(decoded[1]) ? Response(status: .noContent) : error(404, "no customer \(decoded[1])")
        default:
            return error(404, "no route \(request.method) \(request.uri.path)")
        }
    }

    func bodyJSON(_ request: Request) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: 16 << 20)
        return (try? JSONValue.parse(Array(buffer.readableBytesView))) ?? .object([:])
    }

    func write(_ result: HostileState.WriteResult) -> Response {
        switch result {
        case .ok(let record, let version, let created):
            return json(record.jsonBytes, status: created ? .created : .ok, headers: [.eTag: "\"\(version)\""])
        case .notFound: return error(404, "not found")
        case .preconditionFailed: return error(412, "version mismatch")
        }
    }

    func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func error(_ code: Int, _ message: String) -> Response {
        json(JSONValue.object(["error": ["code": "error", "message": .string(message)]]).jsonBytes, status: .init(code: code))
    }

    /// The Custom PMS's customer datatype, as its `/schema` describes it.
    static let schema: JSONValue = {
        func property(_ name: String, _ type: String, required: Bool = false, readOnly: Bool = false, unique: Bool = false) -> JSONValue {
            ["name": .string(name), "type": .string(type), "required": .bool(required), "readOnly": .bool(readOnly), "unique": .bool(unique)]
        }
        let properties: [JSONValue] = [
            property("id", "string", readOnly: true, unique: true),
            property("display_name", "string", required: true),
            property("org_no", "string"), property("erp_number", "string", unique: true), property("contact_email", "string"),
            property("contact_phone", "string"), property("homepage", "string"), property("street_address", "string"),
            property("postal_code", "string"), property("city", "string"), property("country", "string"), property("archived", "boolean"),
            property("updated_at", "integer", readOnly: true),
        ]
        return [
            "system": "Hostile PMS", "name": "pms", "contractVersion": "1",
            "datatypes": [[
                "name": "customer", "collection": "customers", "idField": "id", "idType": "string", "changeMarker": "updated_at",
                "changeMarkerType": "integer", "properties": .array(properties),
            ]],
        ]
    }()
}
