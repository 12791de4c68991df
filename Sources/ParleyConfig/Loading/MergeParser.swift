import ParleyCore

/// Reads `merge:` — a list of criteria; each criterion is a list of property pairs that must all match
/// (a single pair may be written without the inner list):
/// `- [{erp: organizationNumber, pms: org_no, normalize: [digits-only]}]`.
struct MergeParser {
    let sides: SideKeys
    var issues = IssueList()

    mutating func parse(_ node: ConfigNode, at location: ConfigLocation) -> [MergeCriterionConfig] {
        guard case .sequence(let items) = node.content else {
            issues.expected("a list of merge criteria", found: node, at: location)
            return []
        }
        var criteria: [MergeCriterionConfig] = []
        for (index, item) in items.enumerated() {
            let itemLocation = ConfigLocation(path: ConfigPath.index(index, in: location.path), line: item.line)
            if let criterion = parseCriterion(item, at: itemLocation) { criteria.append(criterion) }
        }
        return criteria
    }

    private mutating func parseCriterion(_ node: ConfigNode, at location: ConfigLocation) -> MergeCriterionConfig? {
        switch node.content {
        case .mapping:
            return parsePair(node, at: location).map { MergeCriterionConfig(location: location, pairs: [$0]) }
        case .sequence(let items):
            guard !items.isEmpty else {
                issues.add(location, "a merge criterion needs at least one property pair")
                return nil
            }
            let pairs = items.enumerated().compactMap { index, item in
                parsePair(item, at: ConfigLocation(path: ConfigPath.index(index, in: location.path), line: item.line))
            }
            return pairs.count == items.count ? MergeCriterionConfig(location: location, pairs: pairs) : nil
        case .null, .scalar, .invalid:
            issues.expected("a list of property pairs such as [{\(sides.keys[0]): …, \(sides.keys[1]): …}]", found: node, at: location)
            return nil
        }
    }

    private mutating func parsePair(_ node: ConfigNode, at location: ConfigLocation) -> MergePairConfig? {
        guard let reader = ObjectReader(node, path: location.path, allowed: sides.keys + ["normalize"], issues: &issues) else {
            return nil
        }
        let values = sides.values(in: reader, issues: &issues)
        var paths: [Side: Located<String>] = [:]
        for side in Side.allCases {
            guard let value = values[side] else {
                issues.add(location, "missing the \(side.rawValue) property of the pair")
                continue
            }
            if let text = Scalars.nonEmptyText(value.node, at: value.location, issues: &issues) {
                paths[side] = Located(text, at: value.location)
            }
        }
        let normalize = reader.node("normalize").map { parseNormalize($0, at: reader.location(of: "normalize")) } ?? []
        guard let left = paths[.left], let right = paths[.right] else { return nil }
        return MergePairConfig(location: location, left: left, right: right, normalize: normalize)
    }

    private mutating func parseNormalize(_ node: ConfigNode, at location: ConfigLocation) -> [KeyNormalization] {
        let items: [(ConfigNode, ConfigLocation)]
        if case .sequence(let list) = node.content {
            items = list.enumerated().map { ($0.element, ConfigLocation(path: ConfigPath.index($0.offset, in: location.path), line: $0.element.line)) }
        } else {
            items = [(node, location)]
        }
        return items.compactMap { Scalars.choice($0.0, among: Choices.normalizations, at: $0.1, issues: &issues) }
    }
}
