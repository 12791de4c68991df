import ParleyCore

/// How a flow's sides are named inside it: by their systems' names (`erp:`, `pms:`) or as `left:`/`right:`.
/// When both sides belong to the same system only `left`/`right` are accepted.
struct SideKeys {
    let leftSystem: String
    let rightSystem: String

    struct Value {
        var key: String
        var node: ConfigNode
        var location: ConfigLocation
    }

    var keys: [String] { leftSystem == rightSystem ? ["left", "right"] : [leftSystem, rightSystem, "left", "right"] }

    func side(ofKey key: String) -> Side? {
        switch key {
        case "left": .left
        case "right": .right
        case leftSystem where leftSystem != rightSystem: .left
        case rightSystem where leftSystem != rightSystem: .right
        default: nil
        }
    }

    /// The side-keyed values of a mapping (other keys are skipped); reports a side given twice.
    func values(in reader: ObjectReader, issues: inout IssueList) -> [Side: Value] {
        var values: [Side: Value] = [:]
        for key in reader.keys {
            guard let side = side(ofKey: key), let node = reader.node(key) else { continue }
            let location = reader.location(of: key)
            if let earlier = values[side] {
                issues.add(location, "'\(earlier.key)' and '\(key)' both name the \(side.rawValue) side")
                continue
            }
            values[side] = Value(key: key, node: node, location: location)
        }
        return values
    }

    /// A side named by a value, as in `priority: erp` or `owner: right`.
    func side(named node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> Side? {
        guard let text = Scalars.text(node, at: location, issues: &issues) else { return nil }
        if let side = side(ofKey: text) { return side }
        let hint = Suggestions.hint(for: text, in: keys)
        issues.add(location, "'\(text)' is not a side of this flow (expected \(keys.joined(separator: ", ")))\(hint)")
        return nil
    }
}

extension Dictionary where Key == Side {
    /// The entries left side first, so that issues come out in a stable order.
    var inSideOrder: [(side: Side, value: Value)] {
        Side.allCases.compactMap { side in self[side].map { (side, $0) } }
    }
}
