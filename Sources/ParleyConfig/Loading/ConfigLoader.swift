import Foundation

/// Loads a configuration file: parses the YAML, expands `${VAR}` / `${VAR:-default}`, reads `*File`
/// secrets, and checks its structure. Every problem found is reported at once in `ConfigErrors`.
public enum ConfigLoader {
    /// Loads configuration text. `configPath` names the file in messages and anchors relative paths
    /// (`state`, `tokenFile`); a relative `configPath` is taken relative to the current directory.
    public static func load(
        yaml: String, configPath: String, environment: [String: String]
    ) throws(ConfigErrors) -> ParleyConfiguration {
        let directory = ConfigPaths.directory(of: configPath, currentDirectory: FileManager.default.currentDirectoryPath)
        var issues = IssueList()
        guard let root = YAMLComposer.compose(yaml, environment: environment, issues: &issues) else {
            throw ConfigErrors(file: ConfigPaths.fileName(of: configPath), issues: issues.issues)
        }
        var parser = DocumentParser(configPath: configPath, configDirectory: directory)
        let configuration = parser.parse(root)
        issues.append(contentsOf: parser.issues)
        guard issues.isEmpty, let configuration else {
            throw ConfigErrors(file: ConfigPaths.fileName(of: configPath), issues: issues.issues)
        }
        return configuration
    }

    /// Reads and loads the file at `path`.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigErrors) -> ParleyConfiguration {
        guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            throw ConfigErrors(
                file: ConfigPaths.fileName(of: path),
                issues: [ConfigIssue(path: "", line: nil, message: "the configuration file '\(path)' \(reason)")]
            )
        }
        return try load(yaml: yaml, configPath: path, environment: environment)
    }
}
