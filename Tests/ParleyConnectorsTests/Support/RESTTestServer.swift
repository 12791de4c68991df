import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ParleyCore

/// "Acme Projects", a REST API in a style far from the Custom System contract, on a free port:
/// `X-Api-Key` authentication, bodies wrapped as `{"client": {…}}`, offset pagination with a total (and a
/// server-side cap on `limit`), no change filter, PUT-only updates (PATCH is 405), new projects answered
/// with `201` and a `Location` header only, sub-projects (`parent_id`) mixed into `/projects`, and a
/// volatile `fetched_at` in every record it returns.
actor RESTTestServer {
    static let apiKey = "acme-key-\(UUID().uuidString.prefix(8))"
    static let maxLimit = 4

    let store = RESTTestStore()
    private var task: Task<Void, any Error>?
    private(set) var baseURL = ""

    func start() async throws {
        let router = Router()
        let store = store
        router.get("api/v2/clients") { request, _ in
            await Self.guarded(request, store) {
                let (offset, limit) = Self.window(request)
                let page = await store.listClients(offset: offset, limit: limit)
                return Self.json(["clients": .array(page.items.map(Self.fetched)), "total": .int(page.total), "offset": .int(offset)])
            }
        }
        router.get("api/v2/clients/{id}") { request, context in
            await Self.guarded(request, store) {
                guard let id = context.parameters.get("id").flatMap({ Int($0) }), let client = await store.client(id) else {
                    return Self.error(404, field: nil, "no such client")
                }
                return Self.json(["client": Self.fetched(client)])
            }
        }
        router.post("api/v2/clients") { request, _ in
            await Self.guarded(request, store) {
                guard let body = await Self.body(request)?["client"] else { return Self.error(400, field: nil, "expected {\"client\": {…}}") }
                switch await store.createClient(body) {
                case .success(let client): return Self.json(["client": Self.fetched(client)], status: .created)
                case .failure(let problem): return Self.error(problem.status, field: problem.field, problem.message)
                }
            }
        }
        router.put("api/v2/clients/{id}") { request, context in
            await Self.guarded(request, store) {
                guard let id = context.parameters.get("id").flatMap({ Int($0) }) else { return Self.error(404, field: nil, "no such client") }
                guard let body = await Self.body(request)?["client"] else { return Self.error(400, field: nil, "expected {\"client\": {…}}") }
                switch await store.replaceClient(id, body) {
                case .success(let client): return Self.json(["client": Self.fetched(client)])
                case .failure(let problem): return Self.error(problem.status, field: problem.field, problem.message)
                }
            }
        }
        router.patch("api/v2/clients/{id}") { request, _ in
            await Self.guarded(request, store) { Self.error(405, field: nil, "PATCH is not supported; PUT the whole client") }
        }
        router.delete("api/v2/clients/{id}") { request, context in
            await Self.guarded(request, store) {
                guard let id = context.parameters.get("id").flatMap({ Int($0) }), await store.deleteClient(id) else {
                    return Self.error(404, field: nil, "no such client")
                }
                return Response(status: .noContent)
            }
        }
        router.get("api/v2/projects") { request, _ in
            await Self.guarded(request, store) {
                let (offset, limit) = Self.window(request)
                let page = await store.listProjects(offset: offset, limit: limit)
                return Self.json(["projects": .array(page.items.map(Self.fetched)), "total": .int(page.total), "offset": .int(offset)])
            }
        }
        router.get("api/v2/projects/{id}") { request, context in
            await Self.guarded(request, store) {
                guard let id = context.parameters.get("id"), let project = await store.project(id) else {
                    return Self.error(404, field: nil, "no such project")
                }
                return Self.json(["project": Self.fetched(project)])
            }
        }
        router.post("api/v2/projects") { request, _ in
            await Self.guarded(request, store) {
                guard let body = await Self.body(request)?["project"] else { return Self.error(400, field: nil, "expected {\"project\": {…}}") }
                switch await store.createProject(body) {
                case .success(let project):
                    var headers = HTTPFields()
                    headers[.location] = "/api/v2/projects/\(project["id"]?.stringValue ?? "")"
                    return Response(status: .created, headers: headers)
                case .failure(let problem): return Self.error(problem.status, field: problem.field, problem.message)
                }
            }
        }
        router.put("api/v2/projects/{id}") { request, context in
            await Self.guarded(request, store) {
                guard let id = context.parameters.get("id") else { return Self.error(404, field: nil, "no such project") }
                guard let body = await Self.body(request)?["project"] else { return Self.error(400, field: nil, "expected {\"project\": {…}}") }
                switch await store.replaceProject(id, body) {
                case .success(let project): return Self.json(["project": Self.fetched(project)])
                case .failure(let problem): return Self.error(problem.status, field: problem.field, problem.message)
                }
            }
        }
        router.delete("api/v2/projects/{id}") { request, context in
            await Self.guarded(request, store) {
                guard let id = context.parameters.get("id"), await store.deleteProject(id) else { return Self.error(404, field: nil, "no such project") }
                return Response(status: .noContent)
            }
        }
        PagingRoutes.register(on: router, store: store)
        var logger = Logger(label: "test.rest-server")
        logger.logLevel = .critical
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { sink.yield($0.localAddress?.port ?? 0) }, logger: logger)
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        for await port in ports {
            baseURL = "http://127.0.0.1:\(port)"
            break
        }
    }

    func stop() async {
        task?.cancel()
        _ = try? await task?.value
    }

    // MARK: - Helpers

    static func guarded(_ request: Request, _ store: RESTTestStore, _ handler: () async -> Response) async -> Response {
        let line = "\(request.method.rawValue) \(request.uri.path)\(request.uri.query.map { "?\($0)" } ?? "")"
        guard request.headers[HTTPField.Name("X-Api-Key")!] == apiKey else { return error(401, field: nil, "invalid API key") }
        if let failure = await store.record(line) {
            var response = error(failure.status, field: nil, "injected failure")
            if let retryAfter = failure.retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        }
        return await handler()
    }

    static func window(_ request: Request) -> (Int, Int) {
        let offset = request.uri.queryParameters.get("offset").flatMap { Int($0) } ?? 0
        let limit = min(request.uri.queryParameters.get("limit").flatMap { Int($0) } ?? 20, maxLimit)
        return (offset, limit)
    }

    static func body(_ request: Request) async -> JSONValue? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: 1 << 20) else { return nil }
        return try? JSONValue.parse(Array(buffer.readableBytesView))
    }

    /// Every record carries the time it was fetched: a field no change detection should count.
    static func fetched(_ record: JSONValue) -> JSONValue {
        var record = record
        record.setValue(.int64(Int64(Date().timeIntervalSince1970 * 1_000_000)), at: "fetched_at")
        return record
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }

    static func error(_ status: Int, field: String?, _ message: String) -> Response {
        var error: JSONValue = ["message": .string(message)]
        if let field { error = ["errors": [["field": .string(field), "message": .string("\(field) \(message)")]]] }
        return json(error, status: HTTPResponse.Status(code: status))
    }
}
