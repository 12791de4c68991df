import ParleyCore

/// A flow as one document reads it: from its `source` side to the other, with the names prose needs.
struct DirectedFlow: Sendable {
    let flow: FlowDefinition
    let source: Side
    let naming: Naming

    var target: Side { source.other }
    var sourceRef: DatatypeRef { flow.datatype(on: source) }
    var targetRef: DatatypeRef { flow.datatype(on: target) }

    /// "Custom ERP Customer" / "Custom PMS Customer".
    var sourceName: String { naming.datatype(sourceRef) }
    var targetName: String { naming.datatype(targetRef) }
    var sourceSystem: String { naming.system(sourceRef.system) }
    var targetSystem: String { naming.system(targetRef.system) }

    /// Whether the flow carries changes in this document's direction at all.
    var isCarried: Bool { flow.direction.carries(from: source) }
    var isTwoWay: Bool { flow.direction == .both }

    /// The mapped properties whose changes travel in this direction, in the configuration's order.
    var carriedProperties: [PropertyMapping] {
        guard isCarried else { return [] }
        return flow.properties.filter { $0.direction.carries(from: source) }
    }

    func schema(on side: Side) -> DatatypeSchema? {
        let ref = flow.datatype(on: side)
        return naming.schemas[ref.system]?.datatype(ref.datatype)
    }
}
