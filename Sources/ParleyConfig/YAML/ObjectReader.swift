/// Reads one YAML mapping: reports keys that are not allowed (with a "did you mean"), and hands out
/// values with their locations.
struct ObjectReader {
    let location: ConfigLocation
    private let entries: [ConfigNode.Entry]

    /// Nil (after reporting an issue) when `node` is not a mapping.
    init?(_ node: ConfigNode, path: String, allowed: [String], issues: inout IssueList) {
        guard case .mapping(let entries) = node.content else {
            issues.expected("a mapping (key: value)", found: node, at: ConfigLocation(path: path, line: node.line))
            return nil
        }
        self.location = ConfigLocation(path: path, line: node.line)
        self.entries = entries
        for entry in entries where !allowed.contains(entry.key) {
            let hint = Suggestions.closest(to: entry.key, in: allowed).map { "did you mean '\($0)'?" }
                ?? "expected one of: \(allowed.joined(separator: ", "))"
            issues.add(path: ConfigPath.key(entry.key, in: path), line: entry.keyLine, "unknown key '\(entry.key)' (\(hint))")
        }
    }

    var path: String { location.path }

    /// The keys in the file's order.
    var keys: [String] { entries.map(\.key) }

    /// The value of `key`; nil when absent or empty (`key:` / `key: null`).
    func node(_ key: String) -> ConfigNode? {
        guard let node = entries.first(where: { $0.key == key })?.value, !node.isNull else { return nil }
        return node
    }

    func contains(_ key: String) -> Bool { node(key) != nil }

    /// Where `key`'s value is (its own line, or the key's line when the value is empty).
    func location(of key: String) -> ConfigLocation {
        let entry = entries.first { $0.key == key }
        return ConfigLocation(path: ConfigPath.key(key, in: path), line: entry?.value.line ?? entry?.keyLine ?? location.line)
    }

    /// Like `node(_:)`, but reports a missing key.
    func required(_ key: String, issues: inout IssueList) -> ConfigNode? {
        if let node = node(key) { return node }
        issues.add(location, "missing required key '\(key)'")
        return nil
    }
}
