import ParleyCore

/// Generates the dataflow checklists from resolved flows and the systems' schemas.
public struct DataflowDocs: Sendable {
    public let flows: [FlowDefinition]
    let naming: Naming

    /// - Parameters:
    ///   - flows: as `resolveFlows` returns them.
    ///   - schemas: each system's `/schema`, keyed by system name; they give the Data Type column.
    ///   - titles: system name -> human title ("erp" -> "Custom ERP"), from the configuration.
    public init(flows: [FlowDefinition], schemas: [String: SystemSchema], titles: [String: String]) {
        self.flows = FlowOrder.dependencyOrdered(flows)
        self.naming = Naming(titles: titles, schemas: schemas)
    }

    /// Every direction the flows describe (both ways of each pair of systems).
    public var directions: [DocsDirection] { DocsDirection.all(in: flows) }

    /// "Custom ERP to Custom PMS Dataflow".
    public func title(for direction: DocsDirection) -> String {
        "\(naming.system(direction.from)) to \(naming.system(direction.to)) Dataflow"
    }

    /// The checklist for one direction; `generated` is printed as given (see `GeneratedStamp`).
    public func document(for direction: DocsDirection, generated: String) -> DataflowDocument {
        let flowsByName = Dictionary(flows.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let sections = flows.compactMap { flow -> DocumentSection? in
            guard let source = direction.sourceSide(of: flow) else { return nil }
            return FlowSection.make(DirectedFlow(flow: flow, source: source, naming: naming), flowsByName: flowsByName)
        }
        return DataflowDocument(title: title(for: direction), generated: generated, sections: [introduction(direction)] + sections)
    }

    func introduction(_ direction: DocsDirection) -> DocumentSection {
        let from = naming.system(direction.from)
        let to = naming.system(direction.to)
        return DocumentSection(title: "Introduction", blocks: [
            .paragraph("""
                This document describes the Parley dataflow from \(from) to \(to): for each flow, how records are \
                matched and linked, when they are created, how deletes and conflicts are handled, and which properties \
                are synchronized, with their types and conversions.
                """),
            .paragraph("""
                It is a QA checklist for testing, generated from Parley's configuration and the systems' schemas; \
                \(code: "parley verify") checks it against the live systems.
                """),
        ])
    }
}
