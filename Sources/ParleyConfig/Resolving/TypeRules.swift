import ParleyCore

/// Whether a property's two types fit together with its conversion (or without one).
struct TypeRules {
    static let numeric: Set<PropertyType> = [.integer, .float, .decimal]
    static let textual: Set<PropertyType> = [.string, .enum]

    let property: PropertyConfig
    let left: PropertySide
    let right: PropertySide
    let direction: FlowDirection
    var issues = IssueList()

    mutating func checkConversion() {
        guard let leftType = left.type, let rightType = right.type else { return }
        if leftType == .reference || rightType == .reference {
            reportMissingReference()
            return
        }
        guard let conversion = property.conversion else {
            checkUnconverted(leftType, rightType)
            return
        }
        let location = conversion.location
        switch conversion.value {
        case .negate:
            if leftType != .boolean || rightType != .boolean { mismatch(at: location, "negate needs booleans on both sides") }
        case .countryAlpha2Alpha3:
            if leftType != .string || rightType != .string { mismatch(at: location, "country-alpha2-alpha3 needs strings on both sides") }
        case .scale:
            if !Self.numeric.contains(leftType) || !Self.numeric.contains(rightType) {
                mismatch(at: location, "scale needs numbers (integer, float or decimal) on both sides")
            }
        case .map(let entries):
            guard Self.textual.contains(leftType), Self.textual.contains(rightType) else {
                mismatch(at: location, "map needs enums or strings on both sides")
                return
            }
            var enums = EnumRules(left: left, right: right, direction: direction)
            enums.checkMap(entries, at: location)
            issues.append(contentsOf: enums.issues)
        }
    }

    mutating func checkIgnoreCase() {
        guard property.ignoreCase, let leftType = left.type, let rightType = right.type else { return }
        if !Self.textual.contains(leftType) || !Self.textual.contains(rightType) || property.reference != nil {
            mismatch(at: property.location, "ignoreCase applies only to strings and enums")
        }
    }

    private mutating func checkUnconverted(_ leftType: PropertyType, _ rightType: PropertyType) {
        if Self.numeric.contains(leftType), Self.numeric.contains(rightType) { return }
        switch (leftType, rightType) {
        case (.enum, .enum):
            var enums = EnumRules(left: left, right: right, direction: direction)
            enums.checkSameValues(at: property.location)
            issues.append(contentsOf: enums.issues)
        case (.enum, _), (_, .enum):
            mismatch(at: property.location, "an enum and a non-enum need convert: {map: {…}}")
        default:
            if leftType != rightType { mismatch(at: property.location, "type mismatch") }
        }
    }

    private mutating func reportMissingReference() {
        let referencing = [left, right].first { $0.type == .reference }
        let target = referencing?.schema?.references.map { "\(referencing?.datatype.system ?? "").\($0)" } ?? "another datatype"
        issues.add(
            property.location,
            "\(referencing?.name ?? "this property") is a reference to \(target); add reference: <flow> naming the flow that links the referenced records"
        )
    }

    private mutating func mismatch(at location: ConfigLocation, _ message: String) {
        let found = "\(left.name) is \(left.type?.rawValue ?? "?"), \(right.name) is \(right.type?.rawValue ?? "?")"
        issues.add(location, "\(message): \(found)")
    }
}
