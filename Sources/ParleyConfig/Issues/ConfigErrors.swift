/// Every problem found in a configuration, reported together. Printed one per line as
/// `parley.yaml:42: flows[1].properties[3].pms: unknown property 'budgetcents' of pms.project (did you mean 'budget_cents'?)`.
public struct ConfigErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration file's name, as printed in front of each issue.
    public var file: String
    /// The issues ordered by line (issues without a line last), otherwise in the order they were found.
    public var issues: [ConfigIssue]

    public init(file: String, issues: [ConfigIssue]) {
        self.file = file
        self.issues = issues.enumerated()
            .sorted { a, b in
                let lineA = a.element.line ?? Int.max
                let lineB = b.element.line ?? Int.max
                return lineA != lineB ? lineA < lineB : a.offset < b.offset
            }
            .map(\.element)
    }

    public var description: String {
        issues.map { issue in
            let place = issue.line.map { "\(file):\($0): " } ?? "\(file): "
            return issue.path.isEmpty ? place + issue.message : place + issue.path + ": " + issue.message
        }
        .joined(separator: "\n")
    }
}
