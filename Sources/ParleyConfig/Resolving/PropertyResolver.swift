import ParleyCore

/// One side of a property mapping, as far as it is known.
struct PropertySide {
    var side: Side
    var datatype: DatatypeRef
    var path: Located<String>
    /// The property's schema, when the system describes it.
    var schema: PropertySchema?
    /// The effective type (`type:` override, else the schema's), when known.
    var type: PropertyType?

    /// `pms.project.state`, for messages.
    var name: String { "\(datatype).\(path.value)" }
    var enumValues: [String]? { type == .enum ? schema?.values : nil }
}

/// Resolves one property mapping: finds both sides in the schemas, checks direction, writability, types,
/// conversions and references, and builds the ParleyCore `PropertyMapping`.
struct PropertyResolver {
    let property: PropertyConfig
    let flow: FlowConfig
    let config: ParleyConfiguration
    let lookup: SchemaLookup
    let sides: [Side: SideSchema]
    var issues = IssueList()

    mutating func resolve() -> PropertyMapping? {
        let left = side(.left)
        let right = side(.right)
        let direction = DirectionRules.effective(flow: flow.direction.value, property: property.direction?.value)
        if direction == nil, let own = property.direction {
            issues.add(own.location, "direction \(own.value.rawValue) contradicts the flow's direction \(flow.direction.value.rawValue)")
        }
        let effective = direction ?? flow.direction.value
        for side in [left, right] { checkWritable(side, direction: effective) }
        guard let leftType = left.type, let rightType = right.type else { return nil }
        var rules = TypeRules(property: property, left: left, right: right, direction: effective)
        var reference: ReferenceTarget?
        if let target = property.reference {
            var references = ReferenceRules(property: property, flow: flow, config: config, lookup: lookup)
            reference = references.resolve(target, left: left, right: right)
            issues.append(contentsOf: references.issues)
        } else {
            rules.checkConversion()
        }
        rules.checkIgnoreCase()
        issues.append(contentsOf: rules.issues)
        guard issues.isEmpty, direction != nil else { return nil }
        return PropertyMapping(
            left: left.path.value, right: right.path.value,
            leftType: reference == nil ? leftType : .reference, rightType: reference == nil ? rightType : .reference,
            conversion: property.conversion?.value.conversion ?? .none, reference: reference, owner: property.owner?.value,
            direction: effective, ignoreCase: property.ignoreCase,
            requiredOn: Set([left, right].filter { $0.schema?.required == true }.map(\.side))
        )
    }

    private mutating func side(_ side: Side) -> PropertySide {
        let datatype = flow.datatype(on: side).value
        let path = property.path(on: side)
        let override = property.types[side]?.value
        let sideSchema = sides[side] ?? .invalid
        var result = PropertySide(side: side, datatype: datatype, path: path)
        switch sideSchema {
        case .known:
            result.schema = lookup.property(path, of: datatype, in: sideSchema, issues: &issues)
            result.type = result.schema.map { override ?? $0.type }
        case .schemaless:
            result.type = override
            if override == nil {
                let key = path.location.path.split(separator: ".").last.map(String.init) ?? side.rawValue
                issues.add(path.location, "\(datatype.system) has no schema, so the type of '\(path.value)' is unknown; give it with type: {\(key): <type>}")
            }
        case .invalid:
            break
        }
        return result
    }

    /// A read-only property may only be read: the mapping must not carry changes into its side.
    private mutating func checkWritable(_ side: PropertySide, direction: FlowDirection) {
        guard side.schema?.readOnly == true, direction.carries(from: side.side.other) else { return }
        issues.add(
            side.path.location,
            "\(side.name) is read-only, but this mapping writes it (direction \(direction.rawValue)); add direction: \(DirectionRules.outOf(side.side).rawValue)"
        )
    }
}
