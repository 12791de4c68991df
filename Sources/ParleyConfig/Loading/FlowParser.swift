import ParleyCore

/// Reads `flows:` — the list of flows — and checks what needs no schema: names, sides, options, and the
/// references between flows.
struct FlowParser {
    static let keys = [
        "name", "left", "right", "direction", "priority", "deletes", "archive", "onboarding", "merge", "properties", "defaults",
    ]

    let systems: [String]
    var issues = IssueList()
    /// Every valid flow name, including flows with problems (so references to them are not "unknown").
    private(set) var declaredNames: [Located<String>] = []

    mutating func parse(_ node: ConfigNode, at location: ConfigLocation) -> [FlowConfig] {
        guard case .sequence(let items) = node.content else {
            issues.expected("a list of flows", found: node, at: location)
            return []
        }
        guard !items.isEmpty else {
            issues.add(location, "at least one flow is required")
            return []
        }
        let flows = items.enumerated().compactMap { index, item in
            parseFlow(item, path: ConfigPath.index(index, in: location.path))
        }
        FlowGraph.reportDuplicateNames(declaredNames, issues: &issues)
        FlowGraph.reportDuplicatePairs(flows, issues: &issues)
        FlowGraph.reportUnknownReferences(flows, names: declaredNames.map(\.value), issues: &issues)
        FlowGraph.reportCycles(flows, issues: &issues)
        return flows
    }

    private mutating func parseFlow(_ node: ConfigNode, path: String) -> FlowConfig? {
        guard let reader = ObjectReader(node, path: path, allowed: Self.keys, issues: &issues) else { return nil }
        let name = reader.required("name", issues: &issues).flatMap { node in
            Scalars.identifier(node, at: reader.location(of: "name"), issues: &issues).map { Located($0, at: reader.location(of: "name")) }
        }
        if let name { declaredNames.append(name) }
        let left = reader.required("left", issues: &issues).flatMap { parseDatatype($0, at: reader.location(of: "left")) }
        let right = reader.required("right", issues: &issues).flatMap { parseDatatype($0, at: reader.location(of: "right")) }
        if let left, let right, left.value == right.value {
            issues.add(right.location, "a flow needs two different datatypes, found \(left.value) on both sides")
        }
        var direction = Located(FlowDirection.both, at: reader.location)
        if let node = reader.node("direction"),
            let value = Scalars.choice(node, among: Choices.directions, at: reader.location(of: "direction"), issues: &issues)
        {
            direction = Located(value, at: reader.location(of: "direction"))
        }
        var deletes = Located(DeleteMode.ignore, at: reader.location)
        if let node = reader.node("deletes"),
            let value = Scalars.choice(node, among: Choices.deletes, at: reader.location(of: "deletes"), issues: &issues)
        {
            deletes = Located(value, at: reader.location(of: "deletes"))
        }
        guard let left, let right else { return nil }
        let sides = SideKeys(leftSystem: left.value.system, rightSystem: right.value.system)
        var flow = FlowConfig(
            name: name ?? Located("", at: reader.location), location: reader.location, left: left, right: right,
            direction: direction, deletes: deletes, properties: []
        )
        var options = FlowOptionsParser(sides: sides)
        options.parse(reader, into: &flow)
        issues.append(contentsOf: options.issues)
        return name == nil ? nil : flow
    }

    /// `system.datatype`, where the system is one of `systems:`.
    private mutating func parseDatatype(_ node: ConfigNode, at location: ConfigLocation) -> Located<DatatypeRef>? {
        guard let text = Scalars.nonEmptyText(node, at: location, issues: &issues) else { return nil }
        guard let dot = text.firstIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else {
            issues.add(location, "expected <system>.<datatype> such as \(systems.first ?? "erp").customer, found '\(text)'")
            return nil
        }
        let system = String(text[..<dot])
        guard systems.contains(system) else {
            let hint = Suggestions.hint(for: system, in: systems)
            issues.add(location, "unknown system '\(system)'\(hint); systems: \(systems.joined(separator: ", "))")
            return nil
        }
        return Located(DatatypeRef(system: system, datatype: String(text[text.index(after: dot)...])), at: location)
    }
}
