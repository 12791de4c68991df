/// The entries of a connector's `datatypes:` mapping, each with a valid name and its location.
struct DatatypeEntry {
    var name: String
    var node: ConfigNode
    var location: ConfigLocation
}

enum DatatypeEntries {
    static func read(_ reader: ObjectReader, issues: inout IssueList) -> [DatatypeEntry] {
        guard let node = reader.required("datatypes", issues: &issues) else { return [] }
        let location = reader.location(of: "datatypes")
        guard case .mapping(let entries) = node.content else {
            issues.expected("a mapping from datatype names to their settings", found: node, at: location)
            return []
        }
        guard !entries.isEmpty else {
            issues.add(location, "at least one datatype is required")
            return []
        }
        return entries.compactMap { entry in
            let path = ConfigPath.key(entry.key, in: location.path)
            guard Scalars.isIdentifier(entry.key) else {
                issues.add(path: path, line: entry.keyLine, "'\(entry.key)' is not a valid datatype name (expected a letter, then letters, digits, '_' or '-')")
                return nil
            }
            return DatatypeEntry(name: entry.key, node: entry.value, location: ConfigLocation(path: path, line: entry.value.line ?? entry.keyLine))
        }
    }

    /// `string` or `integer`, the id types connectors support.
    static func idType(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> PropertyTypeChoice? {
        Scalars.choice(node, among: PropertyTypeChoice.allCases, at: location, issues: &issues)
    }
}

/// The id types a configured datatype may have.
enum PropertyTypeChoice: String, CaseIterable {
    case string, integer
}
