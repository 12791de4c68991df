/// The type of one property as a system describes it (the contract's `/schema` vocabulary).
public enum PropertyType: String, Sendable, Hashable, Codable, CaseIterable {
    case string, integer, float, decimal, boolean, date, datetime, `enum`, reference
}

/// One property of a datatype; nested object properties use dotted names (`address.city`).
public struct PropertySchema: Sendable, Hashable, Codable {
    public var name: String
    public var type: PropertyType
    public var required: Bool
    public var readOnly: Bool
    public var unique: Bool
    /// For `reference`: the datatype referenced.
    public var references: String?
    /// For `enum`: the allowed values.
    public var values: [String]?

    public init(
        name: String, type: PropertyType, required: Bool = false, readOnly: Bool = false, unique: Bool = false,
        references: String? = nil, values: [String]? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.readOnly = readOnly
        self.unique = unique
        self.references = references
        self.values = values
    }
}

/// How a system writes its change marker.
public enum ChangeMarkerType: String, Sendable, Hashable, Codable {
    /// RFC 3339 text.
    case datetime
    /// Epoch milliseconds.
    case integer
    /// The system has no change marker: records are full-scanned and diffed by content hash.
    case none
}

public struct DatatypeSchema: Sendable, Hashable, Codable {
    public var name: String
    public var collection: String
    public var idField: String
    public var idType: PropertyType
    public var changeMarker: String?
    public var changeMarkerType: ChangeMarkerType
    public var properties: [PropertySchema]

    public init(
        name: String, collection: String, idField: String, idType: PropertyType, changeMarker: String?,
        changeMarkerType: ChangeMarkerType, properties: [PropertySchema]
    ) {
        self.name = name
        self.collection = collection
        self.idField = idField
        self.idType = idType
        self.changeMarker = changeMarker
        self.changeMarkerType = changeMarkerType
        self.properties = properties
    }

    public func property(_ name: String) -> PropertySchema? { properties.first { $0.name == name } }
}

public struct SystemSchema: Sendable, Hashable, Codable {
    public var system: String
    public var name: String
    public var datatypes: [DatatypeSchema]

    public init(system: String, name: String, datatypes: [DatatypeSchema]) {
        self.system = system
        self.name = name
        self.datatypes = datatypes
    }

    public func datatype(_ name: String) -> DatatypeSchema? { datatypes.first { $0.name == name } }
}
