import ParleyCore

/// Creating a record on a side fails when a property its system requires is not supplied: every required
/// property of a side the flow creates records on must be mapped into that side, or given under `defaults`.
enum RequiredRules {
    static func check(_ flow: FlowConfig, sides: [Side: SideSchema], issues: inout IssueList) {
        for side in Side.allCases where flow.direction.value.carries(from: side.other) {
            guard let datatype = sides[side]?.datatype else { continue }
            var supplied = Set(flow.defaults[side]?.map(\.property.value) ?? [])
            for property in flow.properties {
                let direction = DirectionRules.effective(flow: flow.direction.value, property: property.direction?.value)
                if direction?.carries(from: side.other) == true { supplied.insert(property.path(on: side).value) }
            }
            let ref = flow.datatype(on: side)
            for property in datatype.properties where property.required && !property.readOnly && !supplied.contains(property.name) {
                issues.add(
                    ref.location,
                    "required property '\(property.name)' of \(ref.value) is not mapped, so creating records there would fail (map it, give it under defaults, or make the flow \(DirectionRules.outOf(side).rawValue))"
                )
            }
        }
    }
}
