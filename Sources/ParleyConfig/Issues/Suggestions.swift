/// "Did you mean" suggestions for near-miss names (typos, wrong case, `_` vs camelCase).
enum Suggestions {
    /// The candidate closest to `name`, when it is close enough to be a likely typo.
    static func closest(to name: String, in candidates: [String]) -> String? {
        guard !name.isEmpty else { return nil }
        let folded = fold(name)
        if let match = candidates.first(where: { fold($0) == folded }) { return match }
        let limit = name.count <= 3 ? 1 : (name.count <= 7 ? 2 : 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            // The length difference is a lower bound of the distance: a 1 MB typo is compared with nothing.
            guard abs(candidate.count - name.count) <= limit else { continue }
            let distance = editDistance(Array(name.lowercased()), Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// ` (did you mean 'x'?)`, or an empty string.
    static func hint(for name: String, in candidates: [String]) -> String {
        closest(to: name, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Lower-cased, without `_`, `-` and `.`, so `budget_cents`, `budgetCents` and `budget-cents` fold together.
    private static func fold(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" && $0 != "-" && $0 != "." })
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            previousPrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
