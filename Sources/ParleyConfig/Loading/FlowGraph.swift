import ParleyCore

/// The flows as a whole: names must be unique, no two flows sync the same datatypes, references must name
/// a flow, there must be no cycles, and a flow comes after the flows it references.
enum FlowGraph {
    /// Every check, for flows that did not come from the loader.
    static func check(_ flows: [FlowConfig], issues: inout IssueList) {
        reportDuplicateNames(flows.map(\.name), issues: &issues)
        reportDuplicatePairs(flows, issues: &issues)
        reportUnknownReferences(flows, names: flows.map(\.name.value), issues: &issues)
        reportCycles(flows, issues: &issues)
    }

    static func reportDuplicateNames(_ names: [Located<String>], issues: inout IssueList) {
        var first: [String: Located<String>] = [:]
        for name in names {
            if let earlier = first[name.value] {
                let flow = earlier.location.path.split(separator: ".").first.map(String.init) ?? earlier.location.path
                issues.add(name.location, "duplicate flow name '\(name.value)' (also used by \(flow))")
            } else {
                first[name.value] = name
            }
        }
    }

    /// Two flows syncing the same two datatypes would fight over the same records.
    static func reportDuplicatePairs(_ flows: [FlowConfig], issues: inout IssueList) {
        var first: [Set<DatatypeRef>: FlowConfig] = [:]
        for flow in flows {
            let pair: Set<DatatypeRef> = [flow.left.value, flow.right.value]
            if let earlier = first[pair] {
                issues.add(flow.location, "\(flow.left.value) and \(flow.right.value) are already synced by flow '\(earlier.name.value)'")
            } else {
                first[pair] = flow
            }
        }
    }

    static func reportUnknownReferences(_ flows: [FlowConfig], names: [String], issues: inout IssueList) {
        for flow in flows {
            for property in flow.properties {
                guard let reference = property.reference, !names.contains(reference.value) else { continue }
                issues.add(reference.location, "unknown flow '\(reference.value)'\(Suggestions.hint(for: reference.value, in: names))")
            }
        }
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

    static func reportCycles(_ flows: [FlowConfig], issues: inout IssueList) {
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
