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

    /// `expected <what>, found <node>` — unless the node's problem was already reported (failed `${VAR}`).
    mutating func expected(_ what: String, found node: ConfigNode, at location: ConfigLocation) {
        guard !node.isInvalid else { return }
        add(location, "expected \(what), found \(node.found)")
    }

    mutating func append(contentsOf other: IssueList) {
        issues.append(contentsOf: other.issues)
    }
}
