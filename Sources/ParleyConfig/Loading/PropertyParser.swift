import ParleyCore

/// Reads one entry of a flow's `properties:` list:
/// `{erp: budget, pms: budget_cents, convert: {scale: 100}, owner: erp, direction: both, ignoreCase: false,
///   reference: <flow>, type: {erp: decimal, pms: integer}}`.
struct PropertyParser {
    static let optionKeys = ["convert", "reference", "owner", "direction", "ignoreCase", "type"]

    let sides: SideKeys
    var issues = IssueList()

    mutating func parse(_ node: ConfigNode, path: String) -> PropertyConfig? {
        guard let reader = ObjectReader(node, path: path, allowed: sides.keys + Self.optionKeys, issues: &issues) else {
            return nil
        }
        let values = sides.values(in: reader, issues: &issues)
        var paths: [Side: Located<String>] = [:]
        for side in Side.allCases {
            guard let value = values[side] else {
                let names = side == .left ? [sides.leftSystem, "left"] : [sides.rightSystem, "right"]
                let keys = sides.leftSystem == sides.rightSystem ? "'\(side.rawValue)'" : "'\(names[0])' (or '\(names[1])')"
                issues.add(reader.location, "missing the \(side.rawValue) property: add \(keys)")
                continue
            }
            if let text = Scalars.nonEmptyText(value.node, at: value.location, issues: &issues) {
                paths[side] = Located(text, at: value.location)
            }
        }
        var property = PropertyConfig(
            location: reader.location, left: paths[.left] ?? Located("", at: reader.location),
            right: paths[.right] ?? Located("", at: reader.location)
        )
        if let node = reader.node("convert") {
            let location = reader.location(of: "convert")
            property.conversion = ConversionParser.parse(node, at: location, issues: &issues).map { Located($0, at: location) }
        }
        if let node = reader.node("reference") {
            let location = reader.location(of: "reference")
            property.reference = Scalars.identifier(node, at: location, issues: &issues).map { Located($0, at: location) }
        }
        if let node = reader.node("owner") {
            let location = reader.location(of: "owner")
            property.owner = sides.side(named: node, at: location, issues: &issues).map { Located($0, at: location) }
        }
        if let node = reader.node("direction") {
            let location = reader.location(of: "direction")
            property.direction = Scalars.choice(node, among: Choices.directions, at: location, issues: &issues)
                .map { Located($0, at: location) }
        }
        if let node = reader.node("ignoreCase") {
            property.ignoreCase = Scalars.bool(node, at: reader.location(of: "ignoreCase"), issues: &issues) ?? false
        }
        if let node = reader.node("type") {
            property.types = parseTypes(node, at: reader.location(of: "type"))
        }
        return paths.count == 2 ? property : nil
    }

    private mutating func parseTypes(_ node: ConfigNode, at location: ConfigLocation) -> [Side: Located<PropertyType>] {
        guard let reader = ObjectReader(node, path: location.path, allowed: sides.keys, issues: &issues) else { return [:] }
        var types: [Side: Located<PropertyType>] = [:]
        for (side, value) in sides.values(in: reader, issues: &issues).inSideOrder {
            if let type = Scalars.choice(value.node, among: Choices.types, at: value.location, issues: &issues) {
                types[side] = Located(type, at: value.location)
            }
        }
        return types
    }
}
