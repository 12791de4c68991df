import Foundation

/// Reads the settings of a `connector: contract` system.
struct ContractSettingsParser {
    static let keys = [
        "url", "token", "tokenFile", "webhookSecret", "webhookSecretFile", "timeout", "concurrency", "insecureSkipTLSVerify",
    ]

    let configDirectory: String
    var issues = IssueList()

    mutating func parse(_ reader: ObjectReader) -> ContractSettings? {
        let url = reader.required("url", issues: &issues).flatMap { parseURL($0, at: reader.location(of: "url")) }
        var settings = ContractSettings(url: url ?? "")
        settings.token = SecretReader.read(reader, key: "token", fileKey: "tokenFile", directory: configDirectory, issues: &issues)
        settings.webhookSecret = SecretReader.read(
            reader, key: "webhookSecret", fileKey: "webhookSecretFile", directory: configDirectory, issues: &issues
        )
        if let node = reader.node("timeout"), let millis = Scalars.duration(node, at: reader.location(of: "timeout"), issues: &issues) {
            settings.timeoutMillis = millis
        }
        if let node = reader.node("concurrency"),
            let value = Scalars.integer(node, at: reader.location(of: "concurrency"), in: 1...1_024, issues: &issues)
        {
            settings.concurrency = value
        }
        if let node = reader.node("insecureSkipTLSVerify"),
            let value = Scalars.bool(node, at: reader.location(of: "insecureSkipTLSVerify"), issues: &issues)
        {
            settings.insecureSkipTLSVerify = value
        }
        return url == nil ? nil : settings
    }

    private mutating func parseURL(_ node: ConfigNode, at location: ConfigLocation) -> String? {
        guard let text = Scalars.nonEmptyText(node, at: location, issues: &issues) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            issues.add(location, "expected an http:// or https:// URL, found '\(text)'")
            return nil
        }
        return text
    }
}
