import ParleyCore

/// Resolves and checks one flow against the schemas of its two datatypes.
struct SingleFlowResolver {
    let flow: FlowConfig
    let config: ParleyConfiguration
    let lookup: SchemaLookup
    var issues = IssueList()

    mutating func resolve() -> FlowDefinition? {
        let sides: [Side: SideSchema] = [
            .left: lookup.side(flow.left, issues: &issues),
            .right: lookup.side(flow.right, issues: &issues),
        ]
        var mappings: [PropertyMapping] = []
        for property in flow.properties {
            var resolver = PropertyResolver(property: property, flow: flow, config: config, lookup: lookup, sides: sides)
            if let mapping = resolver.resolve() { mappings.append(mapping) }
            issues.append(contentsOf: resolver.issues)
        }
        let merge = resolveMerge(sides: sides)
        var fields = FieldValueResolver(flow: flow, sides: sides, lookup: lookup)
        let archive = fields.archiveMarkers()
        let defaults = fields.createDefaults()
        issues.append(contentsOf: fields.issues)
        RequiredRules.check(flow, sides: sides, issues: &issues)
        guard issues.isEmpty else { return nil }
        let deletes: DeletePolicy =
            switch flow.deletes.value {
            case .ignore: .ignore
            case .propagate: .propagate
            case .archive: .archive(left: archive[.left], right: archive[.right])
            }
        return FlowDefinition(
            name: flow.name.value, left: flow.left.value, right: flow.right.value, properties: mappings, mergeCriteria: merge,
            conflict: ConflictPolicy(prioritySide: flow.priority?.value ?? .left), deletes: deletes, direction: flow.direction.value,
            onboarding: [.left: flow.onboarding[.left] ?? .all, .right: flow.onboarding[.right] ?? .all], createDefaults: defaults
        )
    }

    /// Merge criteria may use any property of the datatypes, mapped or not.
    private mutating func resolveMerge(sides: [Side: SideSchema]) -> [MergeCriterion] {
        flow.merge.map { criterion in
            MergeCriterion(
                pairs: criterion.pairs.map { pair in
                    for side in Side.allCases {
                        _ = lookup.property(pair.path(on: side), of: flow.datatype(on: side).value, in: sides[side] ?? .invalid, issues: &issues)
                    }
                    return MergeCriterion.Pair(left: pair.left.value, right: pair.right.value, normalize: pair.normalize)
                }
            )
        }
    }
}

/// Which ways a property's changes travel: the flow's direction, narrowed by the property's own.
enum DirectionRules {
    static func effective(flow: FlowDirection, property: FlowDirection?) -> FlowDirection? {
        guard let property, property != flow else { return flow }
        if flow == .both { return property }
        if property == .both { return flow }
        return nil
    }

    /// The direction that only carries changes away from `side`.
    static func outOf(_ side: Side) -> FlowDirection { side == .left ? .leftToRight : .rightToLeft }
}
