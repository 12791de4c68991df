/// Where something was written in the configuration: its YAML path (`flows[1].properties[3].pms`) and
/// 1-based line, kept so that later checks (against the systems' schemas) can point at the right place.
public struct ConfigLocation: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?

    public init(path: String, line: Int? = nil) {
        self.path = path
        self.line = line
    }

    public var description: String { line.map { "\(path) (line \($0))" } ?? path }
}

/// A configured value together with where it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var location: ConfigLocation

    public init(_ value: Value, at location: ConfigLocation) {
        self.value = value
        self.location = location
    }
}
