import Hummingbird
import ParleyCore

/// The API's read-only routes: systems, flows with counts and lag, links, history, queues, activity.
struct ReadEndpoints: Sendable {
    let management: Management

    func systems() async throws -> Response {
        var items: [JSONValue] = []
        let registrations = await management.state.registrations
        for system in management.context.systems {
            let registration = registrations[system.name] ?? .disabled
            var webhooks: [String: JSONValue] = ["status": .string(registration.label)]
            if case .registered(let url) = registration { webhooks["url"] = .string(url) }
            if case .failed(let message) = registration { webhooks["message"] = .string(message) }
            items.append(["name": .string(system.name), "title": .string(system.title), "url": .string(system.url), "webhooks": .object(webhooks)])
        }
        return Responses.json(["items": .array(items)])
    }

    func flows(_ request: Request) async throws -> Response {
        let withLag = request.query["lag"] != "false"
        let overviews = try await management.overviews(withLag: withLag)
        return Responses.json(["items": .array(overviews.map(Encoding.flow))])
    }

    func flow(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let flow = try management.flow(named: try context.parameter("flow"))
        return Responses.json(Encoding.flow(try await management.overview(flow, withLag: request.query["lag"] != "false")))
    }

    func links(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let flow = try management.flow(named: try context.parameter("flow"))
        let links = try await management.links(flow: flow, query: request.query["q"], limit: try APIRoutes.limit(request, default: 50))
        return Responses.json(["items": .array(links.map { Encoding.link($0, flow: flow) })])
    }

    func link(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let flow = try management.flow(named: try context.parameter("flow"))
        let side = try management.side(try context.parameter("side"), of: flow)
        let link = try await management.link(flow: flow, side: side, id: try context.parameter("id"))
        return Responses.json(Encoding.link(link, flow: flow))
    }

    func record(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let flow = try management.flow(named: try context.parameter("flow"))
        let side = try management.side(try context.parameter("side"), of: flow)
        let status = try await management.recordStatus(
            flow: flow, side: side, id: try context.parameter("id"), historyLimit: try APIRoutes.limit(request, default: 20))
        return Responses.json(Encoding.recordStatus(status, flow: flow))
    }

    func history(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let flow = try management.flow(named: try context.parameter("flow"))
        let side = try management.side(try context.parameter("side"), of: flow)
        let link = try await management.link(flow: flow, side: side, id: try context.parameter("id"))
        let entries = try await management.history(of: link, limit: try APIRoutes.limit(request, default: 200))
        return Responses.json(["link": Encoding.link(link, flow: flow), "items": .array(entries.map { Encoding.audit($0, flow: flow) })])
    }

    func conflicts(_ request: Request) async throws -> Response {
        let flow = try request.query["flow"].map { try management.flow(named: $0).name }
        let state = request.query["state"] ?? "open"
        guard state == "open" || state == "all" else { throw APIFailure.invalid("state must be 'open' or 'all', got '\(state.prefix(20))'") }
        let conflicts = try await management.conflicts(flow: flow, openOnly: state == "open", limit: try APIRoutes.limit(request, default: 100))
        return Responses.json(["items": .array(conflicts.map { Encoding.conflict($0, flow: management.context.flow(named: $0.flow)) })])
    }

    func ambiguous(_ request: Request) async throws -> Response {
        let flow = try request.query["flow"].map { try management.flow(named: $0).name }
        let records = try await management.ambiguous(flow: flow, limit: try APIRoutes.limit(request, default: 100))
        return Responses.json(["items": .array(records.map { Encoding.staged($0, flow: management.context.flow(named: $0.flow)) })])
    }

    func parked(_ request: Request) async throws -> Response {
        let flow = try request.query["flow"].map { try management.flow(named: $0).name }
        let records = try await management.parked(flow: flow, limit: try APIRoutes.limit(request, default: 100))
        return Responses.json(["items": .array(records.map { Encoding.parked($0, flow: management.context.flow(named: $0.flow)) })])
    }

    func quarantine(_ request: Request) async throws -> Response {
        let flow = try request.query["flow"].map { try management.flow(named: $0).name }
        let entries = try await management.quarantined(flow: flow, limit: try APIRoutes.limit(request, default: 100))
        return Responses.json(["items": .array(entries.map { Encoding.quarantine($0, flow: management.context.flow(named: $0.flow)) })])
    }

    func activity(_ request: Request) async throws -> Response {
        let flow = try request.query["flow"].map { try management.flow(named: $0).name }
        let entries = try await management.activity(flow: flow, limit: try APIRoutes.limit(request, default: 50))
        return Responses.json(["items": .array(entries.map { Encoding.audit($0, flow: management.context.flow(named: $0.flow)) })])
    }
}
