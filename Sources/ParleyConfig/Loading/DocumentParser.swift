import Foundation

/// Reads the top level of the file (`state`, `pollInterval`, `breaker`, `server`, `systems`, `flows`)
/// into a `ParleyConfiguration`, collecting every structural problem.
struct DocumentParser {
    static let keys = ["state", "pollInterval", "server", "breaker", "systems", "flows"]
    static let defaultState = "parley-state.sqlite"

    let configPath: String
    let configDirectory: String
    var issues = IssueList()

    mutating func parse(_ root: ConfigNode) -> ParleyConfiguration? {
        guard let document = ObjectReader(root, path: "", allowed: Self.keys, issues: &issues) else { return nil }
        let state = parseState(document)
        var pollInterval = 5_000
        if let node = document.node("pollInterval"),
            let millis = Scalars.duration(node, at: document.location(of: "pollInterval"), issues: &issues)
        {
            pollInterval = millis
        }
        let breaker = document.node("breaker").map { parseBreaker($0, at: document.location(of: "breaker")) }
        let server = document.node("server").flatMap { parseServer($0, at: document.location(of: "server")) }
        var systemParser = SystemParser(configDirectory: configDirectory)
        let systems = document.required("systems", issues: &issues)
            .map { systemParser.parse($0, at: document.location(of: "systems")) } ?? []
        issues.append(contentsOf: systemParser.issues)
        var flowParser = FlowParser(systems: systemParser.declaredNames)
        let flows = document.required("flows", issues: &issues)
            .map { flowParser.parse($0, at: document.location(of: "flows")) } ?? []
        issues.append(contentsOf: flowParser.issues)
        return ParleyConfiguration(
            configPath: configPath, configDirectory: configDirectory, state: state, pollIntervalMillis: pollInterval,
            breaker: breaker ?? BreakerSettings(), server: server, systems: systems, flows: flows
        )
    }

    private mutating func parseState(_ document: ObjectReader) -> String {
        var state = Self.defaultState
        if let node = document.node("state"),
            let text = Scalars.nonEmptyText(node, at: document.location(of: "state"), issues: &issues)
        {
            state = text
        }
        return ConfigPaths.isURL(state) ? state : ConfigPaths.absolute(state, in: configDirectory)
    }

    private mutating func parseBreaker(_ node: ConfigNode, at location: ConfigLocation) -> BreakerSettings {
        var breaker = BreakerSettings()
        guard let reader = ObjectReader(node, path: location.path, allowed: ["maxDeleteShare", "minRecords", "window"], issues: &issues)
        else { return breaker }
        if let share = reader.node("maxDeleteShare"),
            let value = Scalars.number(share, at: reader.location(of: "maxDeleteShare"), in: 0...1, issues: &issues)
        {
            breaker.maxDeleteShare = value
        }
        if let minimum = reader.node("minRecords"),
            let value = Scalars.integer(minimum, at: reader.location(of: "minRecords"), in: 0...1_000_000_000, issues: &issues)
        {
            breaker.minRecords = value
        }
        if let window = reader.node("window"), let millis = Scalars.duration(window, at: reader.location(of: "window"), issues: &issues) {
            breaker.windowMillis = millis
        }
        return breaker
    }

    private mutating func parseServer(_ node: ConfigNode, at location: ConfigLocation) -> ServerSettings? {
        let keys = ["host", "port", "apiToken", "apiTokenFile", "publicURL"]
        guard let reader = ObjectReader(node, path: location.path, allowed: keys, issues: &issues) else { return nil }
        var server = ServerSettings()
        if let host = reader.node("host"),
            let text = Scalars.nonEmptyText(host, at: reader.location(of: "host"), issues: &issues)
        {
            server.host = text
        }
        if let port = reader.node("port"),
            let value = Scalars.integer(port, at: reader.location(of: "port"), in: 0...65_535, issues: &issues)
        {
            server.port = value
        }
        if let node = reader.node("publicURL"), let text = Scalars.nonEmptyText(node, at: reader.location(of: "publicURL"), issues: &issues) {
            if let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil {
                server.publicURL = text
            } else {
                issues.add(reader.location(of: "publicURL"), "expected an http:// or https:// URL such as https://parley.example.com, found '\(text)'")
            }
        }
        server.apiToken = SecretReader.read(
            reader, key: "apiToken", fileKey: "apiTokenFile", directory: configDirectory, issues: &issues
        )
        let loopback = ["127.0.0.1", "::1", "localhost"]
        let tokenFailed = ["apiToken", "apiTokenFile"].contains { reader.node($0)?.isInvalid == true }
        if server.apiToken == nil, !tokenFailed, !loopback.contains(server.host) {
            issues.add(
                reader.location(of: "host"),
                "the management API would listen on '\(server.host)' without authentication; set apiToken or apiTokenFile"
            )
        }
        return server
    }
}
