/// A whole reference system: its name, its habits, and its datatypes.
struct SystemDefinition: Sendable {
    let name: String
    let displayName: String
    /// Whether the system trims surrounding whitespace of every string it stores.
    let trimsStrings: Bool
    let datatypes: [DatatypeDefinition]

    func datatype(collection: String) -> DatatypeDefinition? {
        datatypes.first { $0.collection == collection }
    }

    func datatype(named name: String) -> DatatypeDefinition? {
        datatypes.first { $0.name == name }
    }

    var collections: [String] { datatypes.map(\.collection) }

    static func definition(for kind: ReferenceSystemKind) -> SystemDefinition {
        switch kind {
        case .erp: .erp
        case .pms: .pms
        }
    }
}
