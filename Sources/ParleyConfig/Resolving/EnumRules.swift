import ParleyCore

/// Enum values must survive the trip: every value that can travel has a counterpart on the other side.
struct EnumRules {
    let left: PropertySide
    let right: PropertySide
    let direction: FlowDirection
    var issues = IssueList()

    /// `convert: {map: …}`: keys are left values, values are right values.
    mutating func checkMap(_ entries: [EnumMapEntry], at location: ConfigLocation) {
        if let values = left.enumValues {
            for entry in entries where !values.contains(entry.left) {
                issues.add(entry.location, "'\(entry.left)' is not a value of \(left.name)\(Suggestions.hint(for: entry.left, in: values)) (values: \(values.joined(separator: ", ")))")
            }
        }
        if let values = right.enumValues {
            for entry in entries where !values.contains(entry.right) {
                issues.add(entry.location, "'\(entry.right)' is not a value of \(right.name)\(Suggestions.hint(for: entry.right, in: values)) (values: \(values.joined(separator: ", ")))")
            }
        }
        if direction.carries(from: .left), let values = left.enumValues {
            let unmapped = values.filter { value in !entries.contains { $0.left == value } }
            if !unmapped.isEmpty {
                issues.add(location, "values of \(left.name) without a mapping: \(unmapped.joined(separator: ", "))")
            }
        }
        if direction.carries(from: .right) {
            if let values = right.enumValues {
                let unmapped = values.filter { value in !entries.contains { $0.right == value } }
                if !unmapped.isEmpty {
                    issues.add(location, "values of \(right.name) that no mapping produces: \(unmapped.joined(separator: ", "))")
                }
            }
            var firstByRight: [String: EnumMapEntry] = [:]
            for entry in entries {
                if let earlier = firstByRight[entry.right] {
                    issues.add(entry.location, "'\(earlier.left)' and '\(entry.left)' both map to '\(entry.right)', so \(right.name) cannot be read back (make the property left-to-right or map them to different values)")
                } else {
                    firstByRight[entry.right] = entry
                }
            }
        }
    }

    /// Two enums without a map: the values that travel must exist on the other side as they are.
    mutating func checkSameValues(at location: ConfigLocation) {
        guard let leftValues = left.enumValues, let rightValues = right.enumValues else { return }
        if direction.carries(from: .left) {
            let missing = leftValues.filter { !rightValues.contains($0) }
            if !missing.isEmpty {
                issues.add(location, "values of \(left.name) missing from \(right.name): \(missing.joined(separator: ", ")); add convert: {map: {…}}")
            }
        }
        if direction.carries(from: .right) {
            let missing = rightValues.filter { !leftValues.contains($0) }
            if !missing.isEmpty {
                issues.add(location, "values of \(right.name) missing from \(left.name): \(missing.joined(separator: ", ")); add convert: {map: {…}}")
            }
        }
    }
}
