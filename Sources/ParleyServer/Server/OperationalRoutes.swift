import Hummingbird
import ParleyCore

/// `/healthz` (liveness, open), `/readyz` (readiness, open: only component names and ok/unavailable;
/// details go to the log) and `/metrics` (Prometheus text, behind the token like the API).
struct OperationalRoutes: Sendable {
    let management: Management

    func healthz() -> Response {
        Responses.json(["status": "ok"])
    }

    func readyz() async -> Response {
        let checks = await management.readiness()
        var components: [String: JSONValue] = [:]
        for check in checks {
            components[check.component] = .string(check.problem == nil ? "ok" : "unavailable")
            if let problem = check.problem {
                management.logger.warning("not ready", metadata: ["component": "\(check.component)", "problem": "\(problem)"])
            }
        }
        let ready = checks.allSatisfy { $0.problem == nil }
        let failed = checks.filter { $0.problem != nil }.map(\.component)
        var body: [String: JSONValue] = ["status": .string(ready ? "ready" : "unavailable"), "checks": .object(components)]
        if !ready { body["failed"] = .array(failed.map(JSONValue.string)) }
        return Responses.json(.object(body), status: ready ? .ok : .serviceUnavailable)
    }

    func metrics() async -> Response {
        for flow in management.context.flows {
            if let counts = try? await management.context.store.counts(flow: flow.name) {
                management.metrics.recordCounts(counts, flow: flow.name)
            }
        }
        return Responses.bytes(management.metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
