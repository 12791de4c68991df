/// The value types a custom system can declare in its schema (the contract's `type` field).
enum PropertyType: Sendable, Equatable {
    case string
    case integer
    case float
    /// A JSON number stored exactly, rounded half-up to `scale` fraction digits.
    case decimal(scale: Int, maximumIntegerDigits: Int)
    case boolean
    /// `YYYY-MM-DD`, no time zone.
    case date
    /// RFC 3339 date-time, stored as UTC with milliseconds.
    case datetime
    case enumeration([String])
    /// The id of a record of the named datatype.
    case reference(datatype: String)

    var schemaName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .decimal: "decimal"
        case .boolean: "boolean"
        case .date: "date"
        case .datetime: "datetime"
        case .enumeration: "enum"
        case .reference: "reference"
        }
    }
}

/// Extra validation a string property gets beyond its type.
enum StringFormat: Sendable, Equatable {
    case plain
    case email
    /// ISO 3166-1 alpha-2, accepted in any case, stored upper-case.
    case countryAlpha2
    /// ISO 3166-1 alpha-3, accepted in any case, stored upper-case.
    case countryAlpha3
}

/// How a system normalizes a string before storing it (in order).
enum StringTransform: Sendable, Equatable {
    case trim
    case lowercase
    case uppercase
}

/// One property of a datatype. Nested object properties use dotted names (`address.city`).
struct PropertyDefinition: Sendable {
    let name: String
    let type: PropertyType
    var required = false
    var readOnly = false
    var unique = false
    var defaultValue: JSONValue?
    var format: StringFormat = .plain
    var transforms: [StringTransform] = []

    init(
        _ name: String,
        _ type: PropertyType,
        required: Bool = false,
        unique: Bool = false,
        defaultValue: JSONValue? = nil,
        format: StringFormat = .plain,
        transforms: [StringTransform] = []
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.unique = unique
        self.defaultValue = defaultValue
        self.format = format
        self.transforms = transforms
    }

    var path: [String] { name.split(separator: ".").map(String.init) }

    /// The SQL column that enforces uniqueness among records that are not deleted.
    var uniqueColumn: String { "uq_" + String(name.map { $0 == "." ? "_" : $0 }) }
}
