/// One problem in the configuration: where (YAML path and line) and what (found vs expected).
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    /// The YAML path, e.g. `flows[1].properties[3].pms`; empty for the document itself.
    public var path: String
    /// 1-based line, when known.
    public var line: Int?
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public init(at location: ConfigLocation, _ message: String) {
        self.init(path: location.path, line: location.line, message: message)
    }

    /// `42: flows[1].properties[3].pms: unknown property …` (without the file name).
    public var description: String {
        let place = line.map { "\($0): " } ?? ""
        return path.isEmpty ? place + message : place + path + ": " + message
    }
}
