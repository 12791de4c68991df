import Hummingbird

/// `GET|POST /{collection}` and `GET|PATCH|DELETE /{collection}/{id}`.
struct RecordEndpoints: Sendable {
    let services: ReferenceServices
    let datatype: DatatypeDefinition

    static let defaultLimit = 100
    static let maximumLimit = 1000

    func handleCollection(_ request: Request) async throws -> Response {
        switch request.method {
        case .post: try await create(request)
        default: try await feed(request)
        }
    }

    func handleItem(_ request: Request, idText: String) async throws -> Response {
        guard let id = RecordID.parse(pathSegment: idText, kind: datatype.idKind) else {
            let shape = datatype.idKind == .uuid ? "a UUID" : "a positive integer"
            throw ReferenceError(.notFound, "\(datatype.collection)/\(idText) does not exist (ids of \(datatype.collection) are \(shape))")
        }
        switch request.method {
        case .patch: return try await patch(request, id: id)
        case .delete: return try await delete(request, id: id)
        default:
            let record = try await services.records.read(datatype, id: id)
            return Responses.json(.object(record.representation(datatype)), headers: [.eTag: record.etag])
        }
    }

    private func feed(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var since: Int64?
        if let text = query["since"] {
            guard let value = Int64(text), value >= 0, String(value) == String(text) else {
                throw ReferenceError(.badRequest, "\(datatype.collection): cursor '\(text)' is not valid; pass the 'next' value of a previous page")
            }
            since = value
        }
        var limit = Self.defaultLimit
        if let text = query["limit"] {
            guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
                throw ReferenceError(.badRequest, "\(datatype.collection): limit must be an integer from 1 to \(Self.maximumLimit); got '\(text)'")
            }
            limit = value
        }
        let page = try await services.records.feed(datatype, since: since, limit: limit)
        return Responses.json(.object([
            "items": .array(page.items.map { .object($0.representation(datatype)) }),
            "next": .string(String(page.next)),
            "hasMore": .bool(page.hasMore),
        ]))
    }

    private func create(_ request: Request) async throws -> Response {
        let body = try await RequestBodyReader.object(request, subject: "\(datatype.collection) (new record)")
        var key: String?
        if let given = request.headers[.idempotencyKey] {
            guard (1...255).contains(given.count) else {
                throw ReferenceError(.badRequest, "\(datatype.collection): Idempotency-Key must be 1 to 255 characters; got \(given.count)")
            }
            key = given
        }
        let now = await services.faults.now()
        let outcome = try await services.records.create(datatype, body: body, idempotencyKey: key, now: now)
        await publish(outcome)
        try await failAfterCommitIfInjected(outcome)
        var headers: HTTPFields = [.eTag: outcome.record.etag, .location: "/\(datatype.collection)/\(outcome.record.id.text)"]
        if outcome.replayed { headers[.idempotentReplayed] = "true" }
        return Responses.json(
            .object(outcome.record.representation(datatype)),
            status: outcome.replayed ? .ok : .created,
            headers: headers
        )
    }

    private func patch(_ request: Request, id: RecordID) async throws -> Response {
        let body = try await RequestBodyReader.object(request, subject: "\(datatype.collection)/\(id.text)")
        let now = await services.faults.now()
        let outcome = try await services.records.patch(datatype, id: id, body: body, ifMatch: ifMatch(request), now: now)
        await publish(outcome)
        try await failAfterCommitIfInjected(outcome)
        return Responses.json(.object(outcome.record.representation(datatype)), headers: [.eTag: outcome.record.etag])
    }

    private func delete(_ request: Request, id: RecordID) async throws -> Response {
        let now = await services.faults.now()
        let outcome = try await services.records.delete(datatype, id: id, ifMatch: ifMatch(request), now: now)
        await publish(outcome)
        try await failAfterCommitIfInjected(outcome)
        return Responses.noContent()
    }

    private func ifMatch(_ request: Request) -> IfMatch? {
        request.headers[.ifMatch].map(IfMatch.init(header:))
    }

    private func publish(_ outcome: WriteOutcome) async {
        guard let change = outcome.change else { return }
        await services.dispatcher.publish(ChangeEvent(system: services.system.name, datatype: datatype, outcome: outcome, change: change))
    }

    private func failAfterCommitIfInjected(_ outcome: WriteOutcome) async throws {
        guard await services.faults.shouldAcceptThenFail() else { return }
        let what = outcome.change.map { "the \($0.rawValue == "created" ? "create" : $0.rawValue == "updated" ? "update" : "delete") of" } ?? "the request on"
        throw ReferenceError(
            .responseLost,
            "accept-then-fail fault: \(what) \(datatype.collection)/\(outcome.record.id.text) was committed, but this answer pretends it was lost"
        )
    }
}
