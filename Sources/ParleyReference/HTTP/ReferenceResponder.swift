import Foundation
import GRDB
import Hummingbird

/// The HTTP front of a reference system: authentication, fault injection, routing, JSON errors.
struct ReferenceResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let services: ReferenceServices

    func respond(to request: Request, context: Context) async throws -> Response {
        do {
            return try await route(request)
        } catch let error as ReferenceError {
            return Responses.error(error)
        } catch let error as DatabaseError {
            services.logger.error("Database error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            let kind: ReferenceError.Kind = error.resultCode == .SQLITE_CONSTRAINT ? .conflict : .internalError
            return Responses.error(ReferenceError(kind, "database error: \(error.message ?? "\(error.resultCode)")"))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            services.logger.error("Unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return Responses.error(ReferenceError(.internalError, "unexpected error: \(error)"))
        }
    }

    private func route(_ request: Request) async throws -> Response {
        let segments = request.uri.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if segments == ["healthz"] {
            try allow(request, ["GET"])
            return Responses.json(.object(["status": .string("ok")]))
        }
        try authenticate(request)
        if segments.first == "_admin" {
            return try await AdminEndpoints(services: services).handle(request, segments: Array(segments.dropFirst()))
        }
        try await applyFaults()
        switch segments.count {
        case 1 where segments[0] == "schema":
            try allow(request, ["GET"])
            return Responses.json(SchemaDocument.render(services.system))
        case 1 where segments[0] == "webhooks":
            try allow(request, ["GET", "POST"])
            return try await WebhookEndpoints(services: services).handleCollection(request)
        case 2 where segments[0] == "webhooks":
            try allow(request, ["GET", "DELETE"])
            return try await WebhookEndpoints(services: services).handleItem(request, id: segments[1])
        case 1:
            let datatype = try services.datatype(collection: segments[0])
            try allow(request, ["GET", "POST"])
            return try await RecordEndpoints(services: services, datatype: datatype).handleCollection(request)
        case 2:
            let datatype = try services.datatype(collection: segments[0])
            try allow(request, ["GET", "PATCH", "DELETE"])
            return try await RecordEndpoints(services: services, datatype: datatype).handleItem(request, idText: segments[1])
        default:
            throw ReferenceError(.notFound, "no such resource: \(request.uri.path)")
        }
    }

    private func allow(_ request: Request, _ methods: [String]) throws {
        guard methods.contains(request.method.rawValue) else {
            throw ReferenceError(
                .methodNotAllowed(allowed: methods),
                "\(request.method.rawValue) is not allowed on \(request.uri.path); allowed: \(methods.joined(separator: ", "))"
            )
        }
    }

    private func authenticate(_ request: Request) throws {
        guard let token = services.token else { return }
        let expected = Array("Bearer \(token)".utf8)
        let given = Array((request.headers[.authorization] ?? "").utf8)
        var difference = expected.count == given.count ? 0 : 1
        for (index, byte) in expected.enumerated() {
            difference |= Int(byte ^ (index < given.count ? given[index] : 0))
        }
        if difference != 0 {
            let reason = request.headers[.authorization] == nil ? "missing Authorization header" : "wrong bearer token"
            throw ReferenceError(.unauthorized, "\(reason); send 'Authorization: Bearer <token>' with the token \(services.system.displayName) was started with")
        }
    }

    private func applyFaults() async throws {
        let admission = await services.faults.admit()
        let latency = await services.faults.settings.latencyMs
        if latency > 0 {
            try await Task.sleep(for: .milliseconds(latency))
        }
        switch admission {
        case .proceed:
            return
        case .rateLimited(let seconds):
            throw ReferenceError(
                .rateLimited(retryAfterSeconds: seconds),
                "\(services.system.displayName) allows \(await services.faults.settings.rateLimit ?? 0) requests per second; retry after \(seconds) s"
            )
        case .fail:
            throw ReferenceError(.injectedFailure, "injected failure (fail-rate fault); nothing was read or changed")
        }
    }
}
