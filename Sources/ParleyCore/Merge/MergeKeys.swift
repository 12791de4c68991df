/// Merge-criteria keys of a record: one normalized key text per criterion, nil when any part is empty
/// (an empty key never matches anything).
public enum MergeKeys {
    public static func keys(of fields: JSONValue, side: Side, criteria: [MergeCriterion]) -> [String] {
        var keys: [String] = []
        for (index, criterion) in criteria.enumerated() {
            var parts: [String] = []
            for pair in criterion.pairs {
                let path = side == .left ? pair.left : pair.right
                guard let text = keyText(fields.value(at: path)) else { parts = []; break }
                let normalized = pair.normalize.reduce(text) { $1.apply($0) }
                guard !normalized.isEmpty else { parts = []; break }
                parts.append(normalized)
            }
            if !parts.isEmpty { keys.append("\(index):" + parts.joined(separator: "\u{1F}")) }
        }
        return keys
    }

    static func keyText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): DecimalText(n)?.description ?? n
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}
