/// Collects issues while a configuration is read or resolved, so that all of them are reported at once.
struct IssueList: Sendable {
    private(set) var issues: [ConfigIssue] = []

    var isEmpty: Bool { issues.isEmpty }

    mutating func add(_ location: ConfigLocation, _ message: String) {
        issues.append(ConfigIssue(at: location, Self.bounded(message)))
    }

    mutating func add(path: String, line: Int?, _ message: String) {
        issues.append(ConfigIssue(path: path, line: line, message: Self.bounded(message)))
    }

    /// Messages quote the offending value; a huge value (a 10 MB line) is cut so the message stays readable.
    static func bounded(_ message: String) -> String {
        guard message.count > 500 else { return message }
        return message.prefix(300) + "… (message cut: \(message.count) characters)"
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
