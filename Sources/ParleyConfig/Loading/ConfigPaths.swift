import Foundation

/// File-system paths of the configuration: its folder, and paths written relative to it.
enum ConfigPaths {
    /// The last path component (`parley.yaml`).
    static func fileName(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }

    /// The absolute folder holding the file at `path`.
    static func directory(of path: String, currentDirectory: String) -> String {
        let file = URL(fileURLWithPath: absolute(path, in: currentDirectory))
        return file.deletingLastPathComponent().standardizedFileURL.path
    }

    /// `path` made absolute against `directory` (an absolute `path` is returned standardized).
    static func absolute(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
    }

    /// Whether a `state:` value is a URL (`postgres://…`) rather than a file path.
    static func isURL(_ text: String) -> Bool { text.contains("://") }
}
