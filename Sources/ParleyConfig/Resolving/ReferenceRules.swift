import ParleyCore

/// A reference property (`reference: customers`) is translated through another flow's links: that flow
/// must link exactly the datatypes the two properties point to, with the same systems on the same sides.
struct ReferenceRules {
    static let idTypes: Set<PropertyType> = [.reference, .string, .integer]

    let property: PropertyConfig
    let flow: FlowConfig
    let config: ParleyConfiguration
    let lookup: SchemaLookup
    var issues = IssueList()

    mutating func resolve(_ target: Located<String>, left: PropertySide, right: PropertySide) -> ReferenceTarget? {
        if let conversion = property.conversion {
            issues.add(conversion.location, "a reference is translated through flow '\(target.value)' and cannot also be converted")
        }
        for side in [left, right] {
            guard let type = side.type, !Self.idTypes.contains(type) else { continue }
            issues.add(side.path.location, "a reference needs an id-typed property (reference, string or integer): \(side.name) is \(type.rawValue)")
        }
        // An unknown flow is reported with the references between flows.
        guard let referenced = config.flow(named: target.value) else { return nil }
        guard connectsSameSystems(referenced, at: target.location) else { return nil }
        for side in [left, right] {
            guard side.schema?.type == .reference, let datatype = side.schema?.references else { continue }
            let expected = DatatypeRef(system: side.datatype.system, datatype: datatype)
            let linked = referenced.datatype(on: side.side).value
            if expected != linked {
                issues.add(
                    target.location,
                    "\(side.name) references \(expected), but flow '\(target.value)' links \(linked) on the \(side.side.rawValue) side"
                )
            }
        }
        return ReferenceTarget(
            flow: target.value, leftNumeric: isNumeric(referenced.left.value, side: left),
            rightNumeric: isNumeric(referenced.right.value, side: right)
        )
    }

    private mutating func connectsSameSystems(_ referenced: FlowConfig, at location: ConfigLocation) -> Bool {
        let systems = (flow.left.value.system, flow.right.value.system)
        let linked = (referenced.left.value.system, referenced.right.value.system)
        if linked == systems { return true }
        if linked == (systems.1, systems.0) {
            issues.add(
                location,
                "flow '\(referenced.name.value)' has \(referenced.left.value) on the left; a reference needs its sides in this flow's order (\(systems.0) on the left)"
            )
        } else {
            issues.add(
                location,
                "flow '\(referenced.name.value)' links \(referenced.left.value) and \(referenced.right.value), not datatypes of \(systems.0) and \(systems.1)"
            )
        }
        return false
    }

    /// Whether the referenced ids are written as JSON numbers: the referenced datatype has integer ids
    /// (or, without a schema, the property is declared an integer).
    private func isNumeric(_ referenced: DatatypeRef, side: PropertySide) -> Bool {
        if let idType = lookup.idType(of: referenced) { return idType == .integer }
        return side.type == .integer
    }
}
