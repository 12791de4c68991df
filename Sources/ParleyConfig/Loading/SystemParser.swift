/// Reads `systems:` — a mapping from system name to its title and connector settings.
struct SystemParser {
    static let commonKeys = ["title", "connector"]
    static let connectors = ["contract", "rest", "sql", "exec"]
    static let reservedNames = ["left", "right"]

    let configDirectory: String
    var issues = IssueList()
    /// Every validly named system, including those whose settings have problems (so that flows naming
    /// them do not report a second, misleading "unknown system").
    private(set) var declaredNames: [String] = []

    mutating func parse(_ node: ConfigNode, at location: ConfigLocation) -> [SystemConfig] {
        guard case .mapping(let entries) = node.content else {
            issues.expected("a mapping from system names to their settings", found: node, at: location)
            return []
        }
        guard !entries.isEmpty else {
            issues.add(location, "at least one system is required")
            return []
        }
        return entries.compactMap { parseSystem($0, in: location.path) }
    }

    private mutating func parseSystem(_ entry: ConfigNode.Entry, in parent: String) -> SystemConfig? {
        let path = ConfigPath.key(entry.key, in: parent)
        let nameLocation = ConfigLocation(path: path, line: entry.keyLine)
        var nameIsValid = true
        if !Scalars.isIdentifier(entry.key) {
            issues.add(nameLocation, "'\(entry.key)' is not a valid system name (expected a letter, then letters, digits, '_' or '-')")
            nameIsValid = false
        } else if Self.reservedNames.contains(entry.key) {
            issues.add(nameLocation, "'\(entry.key)' is reserved (flows use left/right to name their sides); choose another system name")
            nameIsValid = false
        }
        if nameIsValid { declaredNames.append(entry.key) }
        let connector = connectorName(of: entry.value)
        let connectorKeys = connector.flatMap(Self.keys(of:)) ?? Self.connectors.flatMap { Self.keys(of: $0) ?? [] }
        guard let reader = ObjectReader(entry.value, path: path, allowed: Self.commonKeys + connectorKeys, issues: &issues)
        else { return nil }
        var title = entry.key
        if let node = reader.node("title"), let text = Scalars.nonEmptyText(node, at: reader.location(of: "title"), issues: &issues) {
            title = text
        }
        guard let kindNode = reader.required("connector", issues: &issues),
            let kind = Scalars.text(kindNode, at: reader.location(of: "connector"), issues: &issues)
        else { return nil }
        let settings: ConnectorSettings?
        switch kind {
        case "contract":
            var parser = ContractSettingsParser(configDirectory: configDirectory)
            settings = parser.parse(reader).map(ConnectorSettings.contract)
            issues.append(contentsOf: parser.issues)
        case "rest":
            var parser = RESTSettingsParser(configDirectory: configDirectory)
            settings = parser.parse(reader).map(ConnectorSettings.rest)
            issues.append(contentsOf: parser.issues)
        case "sql":
            var parser = SQLSettingsParser(configDirectory: configDirectory)
            settings = parser.parse(reader).map(ConnectorSettings.sql)
            issues.append(contentsOf: parser.issues)
        case "exec":
            var parser = ExecSettingsParser(configDirectory: configDirectory)
            settings = parser.parse(reader).map(ConnectorSettings.exec)
            issues.append(contentsOf: parser.issues)
        default:
            issues.add(
                reader.location(of: "connector"),
                "unknown connector '\(kind)' (\(Suggestions.closest(to: kind, in: Self.connectors).map { "did you mean '\($0)'?" } ?? "expected one of: \(Self.connectors.joined(separator: ", "))"))"
            )
            settings = nil
        }
        guard nameIsValid, let settings else { return nil }
        return SystemConfig(name: entry.key, title: title, connector: settings, location: nameLocation)
    }

    /// The keys a connector kind accepts besides `title` and `connector`.
    static func keys(of connector: String) -> [String]? {
        switch connector {
        case "contract": ContractSettingsParser.keys
        case "rest": RESTSettingsParser.keys
        case "sql": SQLSettingsParser.keys
        case "exec": ExecSettingsParser.keys
        default: nil
        }
    }

    private func connectorName(of node: ConfigNode) -> String? {
        guard case .mapping(let entries) = node.content else { return nil }
        return entries.first { $0.key == "connector" }?.value.text
    }
}
