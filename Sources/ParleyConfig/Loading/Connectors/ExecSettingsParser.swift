import Foundation

/// Reads the settings of a `connector: exec` system:
///
/// ```yaml
/// crm:
///   connector: exec
///   command: python3
///   args: [connectors/crm.py, --verbose]
///   env: {CRM_TOKEN: "${CRM_TOKEN}"}
///   timeout: 30s
/// ```
struct ExecSettingsParser {
    static let keys = ["command", "args", "env", "workingDirectory", "timeout"]

    let configDirectory: String
    var issues = IssueList()

    mutating func parse(_ reader: ObjectReader) -> ExecSettings? {
        var command = reader.required("command", issues: &issues)
            .flatMap { Scalars.nonEmptyText($0, at: reader.location(of: "command"), issues: &issues) }
        if let given = command, given.contains("/") {
            let path = ConfigPaths.absolute(given, in: configDirectory)
            if FileManager.default.isExecutableFile(atPath: path) {
                command = path
            } else {
                issues.add(reader.location(of: "command"), "'\(path)' is not an executable file")
                command = nil
            }
        }
        var settings = ExecSettings(command: command ?? "", workingDirectory: configDirectory)
        if let node = reader.node("args") {
            let location = reader.location(of: "args")
            if case .sequence(let items) = node.content {
                settings.arguments = items.enumerated().compactMap { index, item in
                    Scalars.text(item, at: ConfigLocation(path: ConfigPath.index(index, in: location.path), line: item.line), issues: &issues)
                }
            } else {
                issues.expected("a list of arguments", found: node, at: location)
            }
        }
        if let node = reader.node("env") {
            let location = reader.location(of: "env")
            if case .mapping(let entries) = node.content {
                for entry in entries {
                    let entryLocation = ConfigLocation(path: ConfigPath.key(entry.key, in: location.path), line: entry.value.line ?? entry.keyLine)
                    guard Self.isVariableName(entry.key) else {
                        issues.add(entryLocation, "'\(entry.key)' is not an environment variable name (letters, digits, '_', not starting with a digit)")
                        continue
                    }
                    if entry.value.isNull {
                        settings.environment[entry.key] = Secret("")
                    } else if let value = Scalars.text(entry.value, at: entryLocation, issues: &issues) {
                        settings.environment[entry.key] = Secret(value)
                    }
                }
            } else {
                issues.expected("a mapping from variable names to values", found: node, at: location)
            }
        }
        if let node = reader.node("workingDirectory"),
            let text = Scalars.nonEmptyText(node, at: reader.location(of: "workingDirectory"), issues: &issues)
        {
            let path = ConfigPaths.absolute(text, in: configDirectory)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                settings.workingDirectory = path
            } else {
                issues.add(reader.location(of: "workingDirectory"), "'\(path)' is not a folder")
            }
        }
        if let node = reader.node("timeout"), let millis = Scalars.duration(node, at: reader.location(of: "timeout"), issues: &issues) {
            settings.timeoutMillis = millis
        }
        return command == nil ? nil : settings
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}
