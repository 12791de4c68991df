/// Reads `auth:` of a REST system — exactly one of:
///
/// ```yaml
/// auth: {bearer: "${TOKEN}"}                                   # or bearerFile: token.txt
/// auth: {basic: {username: sync, password: "${PASSWORD}"}}     # or passwordFile
/// auth: {apiKey: {header: X-Api-Key, value: "${KEY}"}}         # or query: api_key; or valueFile
/// ```
struct RESTAuthParser {
    static let keys = ["bearer", "bearerFile", "basic", "apiKey"]

    let configDirectory: String
    var issues = IssueList()

    mutating func parse(_ node: ConfigNode, at location: ConfigLocation) -> RESTAuth? {
        guard let reader = ObjectReader(node, path: location.path, allowed: Self.keys, issues: &issues) else { return nil }
        let given = Self.keys.filter { reader.keys.contains($0) }
        let kinds = Set(given.map { $0 == "bearerFile" ? "bearer" : $0 })
        guard kinds.count <= 1 else {
            issues.add(location, "give one kind of authentication, found: \(given.joined(separator: ", "))")
            return nil
        }
        if reader.keys.contains("bearer") || reader.keys.contains("bearerFile") {
            guard let token = SecretReader.read(reader, key: "bearer", fileKey: "bearerFile", directory: configDirectory, issues: &issues)
            else { return RESTAuth.none }
            return .bearer(token)
        }
        if let basic = reader.node("basic") {
            guard let basicReader = ObjectReader(basic, path: reader.location(of: "basic").path, allowed: ["username", "password", "passwordFile"], issues: &issues),
                let usernameNode = basicReader.required("username", issues: &issues),
                let username = Scalars.nonEmptyText(usernameNode, at: basicReader.location(of: "username"), issues: &issues)
            else { return nil }
            guard let password = SecretReader.read(basicReader, key: "password", fileKey: "passwordFile", directory: configDirectory, issues: &issues) else {
                if !basicReader.contains("password"), !basicReader.contains("passwordFile") {
                    issues.add(basicReader.location, "missing required key 'password' (or 'passwordFile')")
                }
                return nil
            }
            return .basic(username: username, password: password)
        }
        if let apiKey = reader.node("apiKey") {
            return parseAPIKey(apiKey, at: reader.location(of: "apiKey"))
        }
        return RESTAuth.none
    }

    private mutating func parseAPIKey(_ node: ConfigNode, at location: ConfigLocation) -> RESTAuth? {
        guard let reader = ObjectReader(node, path: location.path, allowed: ["header", "query", "value", "valueFile"], issues: &issues)
        else { return nil }
        let value = SecretReader.read(reader, key: "value", fileKey: "valueFile", directory: configDirectory, issues: &issues)
        if value == nil, !reader.contains("value"), !reader.contains("valueFile") {
            issues.add(location, "missing required key 'value' (or 'valueFile')")
        }
        switch (reader.node("header"), reader.node("query")) {
        case (let header?, nil):
            guard let name = Scalars.nonEmptyText(header, at: reader.location(of: "header"), issues: &issues) else { return nil }
            guard HeaderName.isValid(name) else {
                issues.add(reader.location(of: "header"), "'\(name)' is not a valid HTTP header name")
                return nil
            }
            return value.map { .apiKeyHeader(name: name, value: $0) }
        case (nil, let query?):
            guard let name = Scalars.nonEmptyText(query, at: reader.location(of: "query"), issues: &issues) else { return nil }
            return value.map { .apiKeyQuery(name: name, value: $0) }
        case (nil, nil):
            issues.add(location, "missing key 'header' or 'query' (where the API key is sent)")
            return nil
        default:
            issues.add(reader.location(of: "query"), "give either 'header' or 'query', not both")
            return nil
        }
    }
}

enum HeaderName {
    /// RFC 9110 token characters.
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0))
        }
    }
}
