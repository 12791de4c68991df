/// Renders a system definition as the contract's `GET /schema` document.
enum SchemaDocument {
    static let contractVersion = "1"

    static func render(_ system: SystemDefinition) -> JSONValue {
        .object([
            "system": .string(system.displayName),
            "name": .string(system.name),
            "contractVersion": .string(contractVersion),
            "datatypes": .array(system.datatypes.map(render)),
        ])
    }

    static func render(_ datatype: DatatypeDefinition) -> JSONValue {
        var properties: [JSONValue] = [
            .object([
                "name": .string(datatype.idField),
                "type": .string(datatype.idKind.schemaName),
                "required": .bool(false),
                "readOnly": .bool(true),
                "unique": .bool(true),
            ]),
        ]
        properties += datatype.properties.map(render)
        properties.append(.object([
            "name": .string(datatype.changeMarker),
            "type": .string(datatype.changeMarkerKind.schemaName),
            "required": .bool(false),
            "readOnly": .bool(true),
            "unique": .bool(false),
        ]))
        return .object([
            "name": .string(datatype.name),
            "collection": .string(datatype.collection),
            "idField": .string(datatype.idField),
            "idType": .string(datatype.idKind.schemaName),
            "changeMarker": .string(datatype.changeMarker),
            "changeMarkerType": .string(datatype.changeMarkerKind.schemaName),
            "properties": .array(properties),
        ])
    }

    static func render(_ property: PropertyDefinition) -> JSONValue {
        var object: JSONObject = [
            "name": .string(property.name),
            "type": .string(property.type.schemaName),
            "required": .bool(property.required),
            "readOnly": .bool(property.readOnly),
            "unique": .bool(property.unique),
        ]
        switch property.type {
        case .enumeration(let values):
            object["values"] = .array(values.map(JSONValue.string))
        case .reference(let datatype):
            object["references"] = .string(datatype)
        case .decimal(let scale, _):
            object["scale"] = .integer(scale)
        default:
            break
        }
        switch property.format {
        case .plain: break
        case .email: object["format"] = .string("email")
        case .countryAlpha2: object["format"] = .string("iso3166-alpha2")
        case .countryAlpha3: object["format"] = .string("iso3166-alpha3")
        }
        if let defaultValue = property.defaultValue {
            object["default"] = defaultValue
        }
        return .object(object)
    }
}
