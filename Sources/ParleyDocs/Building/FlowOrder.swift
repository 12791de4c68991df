import ParleyCore

/// Each flow once, after the flows it references, otherwise in the given order. `resolveFlows` already
/// orders them; doing it here too keeps the document right for any caller (and a flow listed twice, the
/// seed checklist's defect, cannot print twice).
enum FlowOrder {
    static func dependencyOrdered(_ flows: [FlowDefinition]) -> [FlowDefinition] {
        var pending: [FlowDefinition] = []
        for flow in flows where !pending.contains(where: { $0.name == flow.name }) { pending.append(flow) }
        let names = Set(pending.map(\.name))
        var placed: Set<String> = []
        var ordered: [FlowDefinition] = []
        while !pending.isEmpty {
            let ready = pending.firstIndex { flow in flow.dependencies.allSatisfy { placed.contains($0) || !names.contains($0) } }
            // A reference cycle (the loader rejects them) must still terminate: take the next in order.
            let flow = pending.remove(at: ready ?? 0)
            placed.insert(flow.name)
            ordered.append(flow)
        }
        return ordered
    }
}
