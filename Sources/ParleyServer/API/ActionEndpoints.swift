import Hummingbird
import ParleyCore
import ParleyEngine

/// The API's operator actions. Each runs inside the polling loop and answers with what it did.
struct ActionEndpoints: Sendable {
    let management: Management

    /// `{"choice": "left" | "right" | "custom", "value": …}`.
    func resolve(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let text = try context.parameter("id")
        guard let id = Int64(text) else { throw APIFailure.notFound("no conflict '\(text.prefix(20))'; conflict ids are numbers") }
        var request = request
        let body = try await request.jsonBody()
        let choice: ConflictChoice
        switch body["choice"]?.stringValue {
        case "left": choice = .left
        case "right": choice = .right
        case "custom":
            guard let value = body["value"] else { throw APIFailure.invalid("choice 'custom' needs a 'value' (in the left system's form)") }
            choice = .custom(value)
        default:
            throw APIFailure.invalid("'choice' must be \"left\", \"right\" or \"custom\" (with \"value\")")
        }
        let report = try await management.resolveConflict(id: id, choice: choice)
        guard let conflict = try await management.context.store.conflict(id: id) else { throw APIFailure.notFound("conflict #\(id) is gone") }
        return Responses.json([
            "conflict": Encoding.conflict(conflict, flow: management.context.flow(named: conflict.flow)), "report": Encoding.report(report),
        ])
    }

    /// `{"otherId": "…"}`: the record on the other side to link with.
    func link(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let flow = try management.flow(named: try context.parameter("flow"))
        let side = try management.side(try context.parameter("side"), of: flow)
        var request = request
        let body = try await request.jsonBody()
        guard let otherId = WebhookReceiver.idText(body["otherId"]) else {
            throw APIFailure.invalid("'otherId' must name the \(flow.datatype(on: side.other)) record to link with")
        }
        let report = try await management.linkManually(flow: flow, side: side, id: try context.parameter("id"), otherId: otherId)
        return Responses.json(["report": Encoding.report(report)])
    }

    func dismiss(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let flow = try management.flow(named: try context.parameter("flow"))
        let side = try management.side(try context.parameter("side"), of: flow)
        try await management.dismiss(flow: flow, side: side, id: try context.parameter("id"))
        return Responses.json(["dismissed": true])
    }

    func retry(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let flow = try management.flow(named: try context.parameter("flow"))
        let side = try management.side(try context.parameter("side"), of: flow)
        let id = try context.parameter("id")
        let report = try await management.retryQuarantined(flow: flow, side: side, id: id)
        let still = try await management.context.store.quarantineEntry(flow: flow.name, side: side, id: id)
        return Responses.json([
            "quarantined": .bool(still != nil), "reason": still.map { .string($0.reason) } ?? .null, "report": Encoding.report(report),
        ])
    }

    /// `{"flows": ["customers"]}` (optional): a pass now.
    /// `{"flows": [...], "allowMassDeletes": true}` (both optional).
    func sync(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.jsonBody()
        let flows = try requestedFlows(body)
        let allow = body["allowMassDeletes"] ?? .null
        guard allow.isNull || allow.boolValue != nil else { throw APIFailure.invalid("'allowMassDeletes' must be true or false") }
        return Responses.json(["report": Encoding.report(try await management.syncNow(flows: flows, allowMassDeletes: allow.boolValue ?? false))])
    }

    /// `{"flows": [...]}` (optional): what a pass would do, without writing.
    func plan(_ request: Request) async throws -> Response {
        let flows = try await requestedFlows(request)
        return Responses.json(["report": Encoding.report(try await management.plan(flows: flows))])
    }

    private func requestedFlows(_ request: Request) async throws -> Set<String>? {
        var request = request
        return try requestedFlows(try await request.jsonBody())
    }

    private func requestedFlows(_ body: JSONValue) throws -> Set<String>? {
        guard let names = body["flows"], !names.isNull else { return nil }
        guard let list = names.arrayValue?.compactMap(\.stringValue), list.count == names.arrayValue?.count else {
            throw APIFailure.invalid("'flows' must be a list of flow names")
        }
        for name in list { _ = try management.flow(named: name) }
        return Set(list)
    }
}
