import ParleyCore

/// One flow's section, in the seed checklist's order: sync statement, merge criteria, keeping in sync,
/// dependent creation, delete and conflict policy, then the property table.
enum FlowSection {
    static func make(_ flow: DirectedFlow, flowsByName: [String: FlowDefinition]) -> DocumentSection {
        let title = "\(flow.sourceName) to \(flow.targetName)"
        var blocks: [DocumentBlock] = [.paragraph(SyncStatements.opening(flow))]
        // A direction the flow does not carry has nothing else to check.
        guard flow.isCarried else { return DocumentSection(title: title, blocks: blocks) }

        if !flow.flow.mergeCriteria.isEmpty {
            blocks.append(.paragraph(MergeStatements.intro(flow)))
            blocks.append(.table(MergeTable.make(for: flow)))
        }
        blocks.append(.paragraph(MergeStatements.outcome(flow)))
        blocks.append(.paragraph(SyncStatements.keepingInSync(flow)))
        if let dependency = DependencyStatement.make(flow, flowsByName: flowsByName) { blocks.append(.paragraph(dependency)) }
        blocks.append(.paragraph(PolicyStatements.delete(flow)))
        if let conflict = PolicyStatements.conflict(flow) { blocks.append(.paragraph(conflict)) }

        let table = PropertyTable.make(for: flow, flowsByName: flowsByName)
        blocks.append(.paragraph(SyncStatements.propertiesIntro(flow, hasRows: table != nil)))
        if let table { blocks.append(.table(table)) }
        return DocumentSection(title: title, blocks: blocks)
    }
}
