import ParleyCore

/// The merge criteria: one row per property combination, in the document's reading direction.
enum MergeTable {
    static func make(for flow: DirectedFlow) -> DocumentTable {
        let rows = flow.flow.mergeCriteria.map { criterion in
            [
                criterion.pairs.map { flow.source == .left ? $0.left : $0.right }.joined(separator: " + "),
                criterion.pairs.map { flow.source == .left ? $0.right : $0.left }.joined(separator: " + "),
                criterion.pairs.map { normalization($0.normalize) }.joined(separator: " + "),
            ]
        }
        return DocumentTable(header: ["\(flow.sourceName) Property", "\(flow.targetName) Property", "Normalization"], rows: rows)
    }

    /// What a tester should expect to still match: "digits only", "trimmed, case-insensitive".
    static func normalization(_ steps: [KeyNormalization]) -> String {
        guard !steps.isEmpty else { return "exact" }
        return steps.map { step in
            switch step {
            case .trim: "trimmed"
            case .lowercase: "case-insensitive"
            case .digitsOnly: "digits only"
            case .collapseSpaces: "spaces collapsed"
            }
        }.joined(separator: ", ")
    }
}
