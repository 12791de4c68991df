/// Collects issues while a configuration is read or resolved, so that all of them are reported at once.
struct IssueList: Sendable {
    private(set) var issues: [ConfigIssue] = []

    var isEmpty: Bool { issues.isEmpty }

    mutating func add(_ location: ConfigLocation, _ message: String) {
        issues.append(ConfigIssue(at: location, message))
    }

    mutating func add(path: String, line: Int?, _ message: String) {
        issues.append(ConfigIssue(path: path, line: line, message: message))
    }

    mutating func append(contentsOf other: IssueList) {
        issues.append(contentsOf: other.issues)
    }
}
