import Foundation
import ParleyCore

/// Reads the settings of a `connector: sql` system.
struct SQLSettingsParser {
    static let keys = [
        "driver", "url", "password", "passwordFile", "tls", "maxConnections", "path", "listen", "overlap", "timeout", "datatypes",
    ]
    static let postgresOnly = ["url", "password", "passwordFile", "tls", "maxConnections", "listen"]
    static let sqliteOnly = ["path"]

    enum Driver: String, CaseIterable {
        case postgres, sqlite
    }

    let configDirectory: String
    var issues = IssueList()

    mutating func parse(_ reader: ObjectReader) -> SQLSettings? {
        guard let driverNode = reader.required("driver", issues: &issues),
            let driver = Scalars.choice(driverNode, among: Driver.allCases, at: reader.location(of: "driver"), issues: &issues)
        else {
            _ = DatatypeEntries.read(reader, issues: &issues)
            return nil
        }
        let foreign = driver == .postgres ? Self.sqliteOnly : Self.postgresOnly
        for key in foreign where reader.keys.contains(key) {
            issues.add(reader.location(of: key), "'\(key)' does not apply to driver \(driver.rawValue)")
        }
        let database: SQLDatabaseSettings?
        switch driver {
        case .postgres: database = parsePostgres(reader).map(SQLDatabaseSettings.postgres)
        case .sqlite: database = parseSQLitePath(reader).map { SQLDatabaseSettings.sqlite(path: $0) }
        }
        var settings = SQLSettings(database: database ?? .sqlite(path: ""))
        if driver == .postgres, let node = reader.node("listen"), let channel = Scalars.nonEmptyText(node, at: reader.location(of: "listen"), issues: &issues) {
            if SQLName(channel)?.parts.count == 1 {
                settings.listenChannel = channel
            } else {
                issues.add(reader.location(of: "listen"), "'\(channel)' is not a valid channel name (a letter or '_', then letters, digits, '_')")
            }
        }
        if let node = reader.node("overlap"), let millis = Scalars.duration(node, at: reader.location(of: "overlap"), issues: &issues) {
            settings.overlapMillis = millis
        }
        if let node = reader.node("timeout"), let millis = Scalars.duration(node, at: reader.location(of: "timeout"), issues: &issues) {
            settings.timeoutMillis = millis
        }
        let entries = DatatypeEntries.read(reader, issues: &issues)
        var properties: [ParsedProperty] = []
        for entry in entries {
            var parser = SQLDatatypeParser()
            let datatype = parser.parse(entry)
            if let parsed = datatype.settings { settings.datatypes.append(parsed) }
            properties += datatype.properties
            issues.append(contentsOf: parser.issues)
        }
        PropertiesParser.checkReferences(properties, datatypes: entries.map(\.name), system: ConfigPathSystem.name(of: reader.path), issues: &issues)
        return database == nil ? nil : settings
    }

    private mutating func parsePostgres(_ reader: ObjectReader) -> PostgresConnectionSettings? {
        guard let node = reader.required("url", issues: &issues),
            let text = Scalars.nonEmptyText(node, at: reader.location(of: "url"), issues: &issues)
        else { return nil }
        let location = reader.location(of: "url")
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty, components.path.count > 1
        else {
            // The text may hold a password: name only its shape.
            issues.add(location, "expected postgres://user@host[:port]/database (password in 'password' or 'passwordFile')")
            return nil
        }
        var settings = PostgresConnectionSettings(
            host: host, port: components.port ?? 5432, username: user,
            database: String(components.path.dropFirst()))
        let filePassword = SecretReader.read(reader, key: "password", fileKey: "passwordFile", directory: configDirectory, issues: &issues)
        if let inURL = components.password {
            if reader.keys.contains("password") || reader.keys.contains("passwordFile") {
                issues.add(location, "the URL holds a password and 'password'/'passwordFile' is given too; give it once")
            }
            // URLComponents has already decoded it (decoding again would turn a literal "%41" into "A").
            settings.password = Secret(inURL)
        } else {
            settings.password = filePassword
        }
        if let node = reader.node("tls") {
            settings.tls = Scalars.choice(node, among: PostgresConnectionSettings.TLSMode.allCases, at: reader.location(of: "tls"), issues: &issues)
                ?? .require
        }
        if let node = reader.node("maxConnections"),
            let value = Scalars.integer(node, at: reader.location(of: "maxConnections"), in: 1...256, issues: &issues)
        {
            settings.maxConnections = value
        }
        return settings
    }

    private mutating func parseSQLitePath(_ reader: ObjectReader) -> String? {
        guard let node = reader.required("path", issues: &issues),
            let text = Scalars.nonEmptyText(node, at: reader.location(of: "path"), issues: &issues)
        else { return nil }
        let path = ConfigPaths.absolute(text, in: configDirectory)
        guard FileManager.default.fileExists(atPath: path) else {
            issues.add(reader.location(of: "path"), "file '\(path)' does not exist (Parley does not create the tables it syncs)")
            return nil
        }
        return path
    }
}
