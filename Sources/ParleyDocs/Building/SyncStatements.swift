import ParleyCore

/// The opening and "keeps in sync" sentences of a flow section, adapted to one-way flows.
enum SyncStatements {
    /// "Every Custom ERP Customer will be synchronized with a Custom PMS Customer."
    static func opening(_ flow: DirectedFlow) -> RichText {
        guard flow.isCarried else {
            return """
                No \(flow.sourceName) is synchronized to the \(flow.targetSystem): this flow is one-way and only carries \
                changes from the \(flow.targetSystem) to the \(flow.sourceSystem) (see the \(flow.targetSystem) to \
                \(flow.sourceSystem) Dataflow).
                """
        }
        // `new-only` onboarding leaves the records that existed before Parley first read the system alone.
        let which = flow.flow.onboarding[flow.source] == .newOnly
            ? "\(flow.sourceName) created after Parley first read the \(flow.sourceSystem)" : flow.sourceName
        return "Every \(which) will be synchronized with \(Naming.withArticle(flow.targetName))."
    }

    /// Two-way: edits on either side; one-way: only the source's edits travel.
    static func keepingInSync(_ flow: DirectedFlow) -> RichText {
        let pair = "\(Naming.withArticle(flow.sourceName)) and \(Naming.withArticle(flow.targetName))"
        if flow.isTwoWay {
            return "Once a link between \(pair) is established, it will keep in sync between the two systems, regardless of where it is edited."
        }
        return """
            Once a link between \(pair) is established, changes made in the \(flow.sourceSystem) are copied to the \
            \(flow.targetSystem); this flow is one-way, so edits made in the \(flow.targetSystem) are not synchronized back.
            """
    }

    /// "The following properties are synchronized between a ... and a ...:" or why there are none.
    static func propertiesIntro(_ flow: DirectedFlow, hasRows: Bool) -> RichText {
        let pair = "\(Naming.withArticle(flow.sourceName)) and \(Naming.withArticle(flow.targetName))"
        return hasRows
            ? "The following properties are synchronized between \(pair):"
            : "No properties are synchronized from \(Naming.withArticle(flow.sourceName)) to \(Naming.withArticle(flow.targetName))."
    }
}
