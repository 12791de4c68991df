import ParleyCore

/// How an unlinked record finds its counterpart: the criteria sentence before the table, and what
/// happens on no match or several matches after it.
enum MergeStatements {
    static func intro(_ flow: DirectedFlow) -> RichText {
        let subject = "\(capitalizedFirst(Naming.withArticle(flow.sourceName))) will merge with \(Naming.withArticle(flow.targetName))"
        return flow.flow.mergeCriteria.count == 1
            ? "\(subject) if the following property combination matches:"
            : "\(subject) if one of the following property combinations match:"
    }

    /// Several matches are never merged automatically (DESIGN.md step 2); none creates the record.
    static func outcome(_ flow: DirectedFlow) -> RichText {
        guard !flow.flow.mergeCriteria.isEmpty else {
            return """
                \(capitalizedFirst(Naming.withArticle(flow.sourceName))) is never merged with an existing \(flow.targetName): \
                each one that is not linked yet is created in the \(flow.targetSystem).
                """
        }
        return """
            Exactly one match links the two records; if several match, none is merged and the \(flow.sourceName) is held \
            as ambiguous for review; if none matches, a new \(flow.targetName) is created.
            """
    }

    static func capitalizedFirst(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}
