import ParleyCore

/// The delete and conflict policies, each in one sentence a tester can check.
enum PolicyStatements {
    /// What deleting a source record does to its linked counterpart.
    static func delete(_ flow: DirectedFlow) -> RichText {
        let when = "When \(Naming.withArticle(flow.sourceName)) is deleted, the linked \(flow.targetName)"
        switch flow.flow.deletes {
        case .ignore:
            return "\(when) is left unchanged; only the link is marked as deleted."
        case .propagate:
            return "\(when) is deleted too."
        case .archive(let left, let right):
            guard let marker = flow.target == .left ? left : right else {
                return "\(when) is left unchanged: no archive property is configured for the \(flow.targetSystem)."
            }
            return "\(when) is archived: \(code: marker.property) is set to \(code: marker.value.jsonText)."
        }
    }

    /// Newest change wins by change markers, ties to the priority system, per-property owners named.
    /// Only two-way flows can have a property changed on both sides.
    static func conflict(_ flow: DirectedFlow) -> RichText? {
        guard flow.isTwoWay else { return nil }
        var text = RichText.Interpolation(literalCapacity: 0, interpolationCount: 0)
        text.appendLiteral("When the same property is changed in both systems, the newest change wins by the systems' change markers (")
        for (offset, side) in [flow.source, flow.target].enumerated() {
            if offset > 0 { text.appendLiteral(", ") }
            let system = flow.naming.system(flow.flow.datatype(on: side).system)
            if let schema = flow.schema(on: side), let marker = schema.changeMarker, schema.changeMarkerType != .none {
                text.appendInterpolation(code: marker)
                text.appendLiteral(" in the \(system)")
            } else {
                text.appendLiteral("the \(system) has none, so Parley's observation order counts")
            }
        }
        let priority = flow.naming.system(flow.flow.datatype(on: flow.flow.conflict.prioritySide).system)
        text.appendLiteral("); ties go to the \(priority)")
        for side in [flow.source, flow.target] {
            let owned = flow.flow.properties.filter { $0.owner == side }.map { $0.path(on: side) }
            guard !owned.isEmpty else { continue }
            text.appendLiteral("; the \(flow.naming.system(flow.flow.datatype(on: side).system)) always wins for ")
            text.appendInterpolation(codes: owned)
        }
        text.appendLiteral(".")
        return RichText(stringInterpolation: text)
    }
}
