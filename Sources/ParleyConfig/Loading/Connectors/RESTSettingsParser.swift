import Foundation
import ParleyCore

/// Reads the settings of a `connector: rest` system.
struct RESTSettingsParser {
    static let keys = ["url", "auth", "timeout", "concurrency", "rateLimit", "insecureSkipTLSVerify", "datatypes"]

    let configDirectory: String
    var issues = IssueList()

    mutating func parse(_ reader: ObjectReader) -> RESTSettings? {
        let url = reader.required("url", issues: &issues).flatMap { HTTPURLValue.parse($0, at: reader.location(of: "url"), issues: &issues) }
        var settings = RESTSettings(url: url ?? "")
        if let node = reader.node("auth") {
            var parser = RESTAuthParser(configDirectory: configDirectory)
            settings.auth = parser.parse(node, at: reader.location(of: "auth")) ?? .none
            issues.append(contentsOf: parser.issues)
        }
        if let node = reader.node("timeout"), let millis = Scalars.duration(node, at: reader.location(of: "timeout"), issues: &issues) {
            settings.timeoutMillis = millis
        }
        if let node = reader.node("concurrency"),
            let value = Scalars.integer(node, at: reader.location(of: "concurrency"), in: 1...1_024, issues: &issues)
        {
            settings.concurrency = value
        }
        if let node = reader.node("rateLimit") {
            settings.requestsPerSecond = RateLimitValue.parse(node, at: reader.location(of: "rateLimit"), issues: &issues)
        }
        if let node = reader.node("insecureSkipTLSVerify"),
            let value = Scalars.bool(node, at: reader.location(of: "insecureSkipTLSVerify"), issues: &issues)
        {
            settings.insecureSkipTLSVerify = value
        }
        let entries = DatatypeEntries.read(reader, issues: &issues)
        var properties: [ParsedProperty] = []
        for entry in entries {
            var parser = RESTDatatypeParser()
            let datatype = parser.parse(entry)
            if let parsed = datatype.settings { settings.datatypes.append(parsed) }
            properties += datatype.properties
            issues.append(contentsOf: parser.issues)
        }
        PropertiesParser.checkReferences(
            properties, datatypes: entries.map(\.name), system: ConfigPathSystem.name(of: reader.path), issues: &issues)
        return url == nil ? nil : settings
    }
}

/// An `http://` or `https://` URL with a host.
enum HTTPURLValue {
    static func parse(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> String? {
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

/// `10/s`, `600/m` or `3600/h`: requests per second.
enum RateLimitValue {
    static func parse(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> Double? {
        guard let text = Scalars.text(node, at: location, issues: &issues) else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let units: [String: Double] = ["s": 1, "m": 60, "h": 3_600]
        guard parts.count == 2, let count = Double(parts[0].trimmingCharacters(in: .whitespaces)), count > 0, count.isFinite,
            let seconds = units[parts[1].trimmingCharacters(in: .whitespaces)]
        else {
            issues.add(location, "expected a rate such as 10/s, 600/m or 3600/h, found '\(text)'")
            return nil
        }
        return count / seconds
    }
}

/// The system name in a path such as `systems.erp` (for messages).
enum ConfigPathSystem {
    static func name(of path: String) -> String {
        path.split(separator: ".").last.map(String.init) ?? path
    }
}
