/// Which bundled reference system to run.
public enum ReferenceSystemKind: String, Sendable, CaseIterable, Codable {
    /// The Custom ERP (`name: erp`): integer ids, camelCase, nested address, RFC 3339 `lastModified`.
    case erp
    /// The Custom PMS (`name: pms`): UUID ids, snake_case, flat, epoch-millisecond `updated_at`.
    case pms

    /// "Custom ERP" / "Custom PMS".
    public var displayName: String {
        switch self {
        case .erp: "Custom ERP"
        case .pms: "Custom PMS"
        }
    }

    /// The port the CLI listens on by default.
    public var defaultPort: Int {
        switch self {
        case .erp: 8081
        case .pms: 8082
        }
    }
}
