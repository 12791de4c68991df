import Hummingbird
import ParleyConnectors
import ParleyCore
import ParleyEngine

/// The management API under `/api` (Contracts/management-api.yaml): JSON in and out, errors as
/// `{"error": {"code", "message"}}`.
struct APIRoutes: Sendable {
    let management: Management

    func register(on api: RouterGroup<BasicRequestContext>) {
        let reads = ReadEndpoints(management: management)
        let actions = ActionEndpoints(management: management)
        api.get("systems") { _, _ in await Self.respond { try await reads.systems() } }
        api.get("flows") { request, _ in await Self.respond { try await reads.flows(request) } }
        api.get("flows/{flow}") { request, context in await Self.respond { try await reads.flow(request, context) } }
        api.get("flows/{flow}/links") { request, context in await Self.respond { try await reads.links(request, context) } }
        api.get("flows/{flow}/links/{side}/{id}") { request, context in await Self.respond { try await reads.link(request, context) } }
        api.get("flows/{flow}/links/{side}/{id}/history") { request, context in
            await Self.respond { try await reads.history(request, context) }
        }
        api.get("flows/{flow}/records/{side}/{id}") { request, context in await Self.respond { try await reads.record(request, context) } }
        api.get("conflicts") { request, _ in await Self.respond { try await reads.conflicts(request) } }
        api.get("ambiguous") { request, _ in await Self.respond { try await reads.ambiguous(request) } }
        api.get("parked") { request, _ in await Self.respond { try await reads.parked(request) } }
        api.get("quarantine") { request, _ in await Self.respond { try await reads.quarantine(request) } }
        api.get("activity") { request, _ in await Self.respond { try await reads.activity(request) } }
        api.post("conflicts/{id}/resolve") { request, context in await Self.respond { try await actions.resolve(request, context) } }
        api.post("flows/{flow}/ambiguous/{side}/{id}/link") { request, context in
            await Self.respond { try await actions.link(request, context) }
        }
        api.post("flows/{flow}/ambiguous/{side}/{id}/dismiss") { request, context in
            await Self.respond { try await actions.dismiss(request, context) }
        }
        api.post("flows/{flow}/quarantine/{side}/{id}/retry") { request, context in
            await Self.respond { try await actions.retry(request, context) }
        }
        api.post("sync") { request, _ in await Self.respond { try await actions.sync(request) } }
        api.post("plan") { request, _ in await Self.respond { try await actions.plan(request) } }
    }

    /// Every route list in `Contracts/management-api.yaml`, for tests and docs: method and path template.
    static let routes: [(method: String, path: String)] = [
        ("GET", "/api/systems"), ("GET", "/api/flows"), ("GET", "/api/flows/{flow}"), ("GET", "/api/flows/{flow}/links"),
        ("GET", "/api/flows/{flow}/links/{side}/{id}"), ("GET", "/api/flows/{flow}/links/{side}/{id}/history"),
        ("GET", "/api/flows/{flow}/records/{side}/{id}"), ("GET", "/api/conflicts"),
        ("GET", "/api/ambiguous"), ("GET", "/api/parked"), ("GET", "/api/quarantine"), ("GET", "/api/activity"), ("POST", "/api/conflicts/{id}/resolve"),
        ("POST", "/api/flows/{flow}/ambiguous/{side}/{id}/link"), ("POST", "/api/flows/{flow}/ambiguous/{side}/{id}/dismiss"),
        ("POST", "/api/flows/{flow}/quarantine/{side}/{id}/retry"), ("POST", "/api/sync"), ("POST", "/api/plan"),
    ]

    /// Runs a handler and turns its failure into the API's error shape and status.
    static func respond(_ handler: () async throws -> Response) async -> Response {
        do {
            return try await handler()
        } catch let failure as APIFailure {
            return Responses.error(failure.status, code: failure.code, message: failure.message)
        } catch let error as OperatorError {
            let status: HTTPResponse.Status =
                switch error.kind {
                case .notFound: .notFound
                case .conflict: .conflict
                case .invalid: .unprocessableContent
                case .failed: .badGateway
                }
            return Responses.error(status, code: "\(error.kind)", message: error.description)
        } catch let error as SyncLoopStopped {
            return Responses.error(.serviceUnavailable, code: "stopping", message: error.description)
        } catch let error as ConnectorError {
            return Responses.error(.badGateway, code: "system-error", message: error.description)
        } catch {
            return Responses.error(.internalServerError, code: "internal", message: "\(error)")
        }
    }

    /// `?limit=` within 1...1000.
    static func limit(_ request: Request, default value: Int) throws -> Int {
        guard let text = request.query["limit"] else { return value }
        guard let limit = Int(text), (1...1000).contains(limit) else {
            throw APIFailure.invalid("limit must be a number from 1 to 1000, got '\(text.prefix(20))'")
        }
        return limit
    }
}
