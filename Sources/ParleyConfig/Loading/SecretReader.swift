import Foundation

/// Reads a credential given either inline (`token:`, usually from `${ENV}`) or as a file (`tokenFile:`).
/// Messages name the key or the file, never the value.
enum SecretReader {
    static func read(
        _ reader: ObjectReader, key: String, fileKey: String, directory: String, issues: inout IssueList
    ) -> Secret? {
        let inline = reader.node(key)
        let file = reader.node(fileKey)
        if inline != nil, file != nil {
            issues.add(reader.location(of: fileKey), "give either '\(key)' or '\(fileKey)', not both")
            return nil
        }
        if let inline {
            guard let value = inline.text else {
                issues.expected("text", found: inline, at: reader.location(of: key))
                return nil
            }
            return value.isEmpty ? nil : Secret(value)
        }
        guard let file else { return nil }
        let location = reader.location(of: fileKey)
        guard let relative = Scalars.nonEmptyText(file, at: location, issues: &issues) else { return nil }
        let path = ConfigPaths.absolute(relative, in: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            issues.add(location, "file '\(path)' does not exist")
            return nil
        }
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            issues.add(location, "file '\(path)' cannot be read as UTF-8 text")
            return nil
        }
        let value = contents.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            issues.add(location, "file '\(path)' is empty")
            return nil
        }
        return Secret(value)
    }
}
