/// The references between flows: names must be unique, references must name a flow, there must be no
/// cycles, and a flow comes after the flows it references.
enum FlowGraph {
    static func check(_ flows: [FlowConfig], issues: inout IssueList) {
        reportDuplicates(flows, issues: &issues)
        let names = flows.map(\.name.value)
        for flow in flows {
            for reference in flow.referencedFlows where !names.contains(reference.value) {
                issues.add(reference.location, "unknown flow '\(reference.value)'\(Suggestions.hint(for: reference.value, in: names))")
            }
        }
        reportCycles(flows, issues: &issues)
    }

    /// The flows ordered so that each comes after the flows it references; otherwise in the file's order.
    /// Flows caught in (or depending on) a cycle keep their order at the end.
    static func ordered(_ flows: [FlowConfig]) -> [FlowConfig] {
        let (placed, stuck) = placement(flows)
        return placed + stuck
    }

    /// Repeatedly takes the first flow whose references are all placed; what is left is stuck on cycles.
    private static func placement(_ flows: [FlowConfig]) -> (placed: [FlowConfig], stuck: [FlowConfig]) {
        let names = Set(flows.map(\.name.value))
        var placedNames: Set<String> = []
        var remaining = flows
        var placed: [FlowConfig] = []
        while let index = remaining.firstIndex(where: { flow in
            flow.referencedFlows.allSatisfy { placedNames.contains($0.value) || !names.contains($0.value) }
        }) {
            let flow = remaining.remove(at: index)
            placedNames.insert(flow.name.value)
            placed.append(flow)
        }
        return (placed, remaining)
    }

    private static func reportDuplicates(_ flows: [FlowConfig], issues: inout IssueList) {
        var seenNames: [String: FlowConfig] = [:]
        var seenPairs: [Set<String>: FlowConfig] = [:]
        for flow in flows {
            if let earlier = seenNames[flow.name.value] {
                issues.add(flow.name.location, "duplicate flow name '\(flow.name.value)' (also \(earlier.location.path))")
            } else {
                seenNames[flow.name.value] = flow
            }
            let pair: Set<String> = [flow.left.value.description, flow.right.value.description]
            if let earlier = seenPairs[pair] {
                issues.add(
                    flow.location,
                    "\(flow.left.value) and \(flow.right.value) are already synced by flow '\(earlier.name.value)' (\(earlier.location.path))"
                )
            } else {
                seenPairs[pair] = flow
            }
        }
    }

    private static func reportCycles(_ flows: [FlowConfig], issues: inout IssueList) {
        let stuck = placement(flows).stuck
        let byName = Dictionary(stuck.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first })
        var reported: Set<Set<String>> = []
        for flow in stuck {
            guard let cycle = cycle(from: flow, in: byName), let first = cycle.first,
                reported.insert(Set(cycle.map(\.name.value))).inserted
            else { continue }
            let next = cycle.count > 1 ? cycle[1].name.value : first.name.value
            let location = first.referencedFlows.first { $0.value == next }?.location ?? first.location
            let names = (cycle + [first]).map(\.name.value).joined(separator: " → ")
            issues.add(location, "flows reference each other in a cycle: \(names)")
        }
    }

    /// A cycle reachable from `start` through references among `flows`, starting at its first member met.
    private static func cycle(from start: FlowConfig, in flows: [String: FlowConfig]) -> [FlowConfig]? {
        var path: [FlowConfig] = []
        var current: FlowConfig? = start
        while let flow = current {
            if let index = path.firstIndex(where: { $0.name.value == flow.name.value }) { return Array(path[index...]) }
            path.append(flow)
            current = flow.referencedFlows.lazy.compactMap { flows[$0.value] }.first
        }
        return nil
    }
}
