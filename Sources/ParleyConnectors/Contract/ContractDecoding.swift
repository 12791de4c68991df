import ParleyCore

struct DecodingProblem: Error, CustomStringConvertible {
    var description: String
}

/// `/schema` JSON -> `SystemSchema`.
enum ContractSchemaDecoding {
    static func decode(_ json: JSONValue, system: String) throws -> SystemSchema {
        guard let datatypes = json["datatypes"]?.arrayValue else {
            throw ConnectorError.invalidResponse(system: system, message: "/schema has no 'datatypes' list")
        }
        var result: [DatatypeSchema] = []
        for datatype in datatypes {
            guard let name = datatype["name"]?.stringValue, let collection = datatype["collection"]?.stringValue else {
                throw ConnectorError.invalidResponse(system: system, message: "/schema: a datatype lacks 'name' or 'collection'")
            }
            var properties: [PropertySchema] = []
            for property in datatype["properties"]?.arrayValue ?? [] {
                guard let propertyName = property["name"]?.stringValue,
                    let type = property["type"]?.stringValue.flatMap(PropertyType.init(rawValue:))
                else {
                    throw ConnectorError.invalidResponse(system: system, message: "/schema: datatype \(name) has a property without a known 'name'/'type'")
                }
                properties.append(PropertySchema(
                    name: propertyName, type: type, required: property["required"]?.boolValue ?? false,
                    readOnly: property["readOnly"]?.boolValue ?? false, unique: property["unique"]?.boolValue ?? false,
                    references: property["references"]?.stringValue, values: property["values"]?.arrayValue?.compactMap(\.stringValue)))
            }
            let markerType = datatype["changeMarkerType"]?.stringValue.flatMap(ChangeMarkerType.init(rawValue:)) ?? .none
            result.append(DatatypeSchema(
                name: name, collection: collection, idField: datatype["idField"]?.stringValue ?? "id",
                idType: datatype["idType"]?.stringValue.flatMap(PropertyType.init(rawValue:)) ?? .string,
                changeMarker: datatype["changeMarker"]?.stringValue, changeMarkerType: markerType, properties: properties))
        }
        return SystemSchema(system: json["system"]?.stringValue ?? system, name: json["name"]?.stringValue ?? system, datatypes: result)
    }
}

/// Record JSON -> `NativeRecord`, using the datatype's id field and change marker.
enum ContractRecordDecoding {
    static func record(_ json: JSONValue, datatype: DatatypeSchema, system: String, version: String?) throws -> NativeRecord {
        guard case .object = json else { throw DecodingProblem(description: "\(system) \(datatype.name): record is a \(json.typeName), expected an object") }
        guard let id = idText(json[datatype.idField]) else {
            throw DecodingProblem(description: "\(system) \(datatype.name): record has no usable id field '\(datatype.idField)'")
        }
        var changedAt: Int64?
        if let marker = datatype.changeMarker, let value = json.value(at: marker), !value.isNull {
            switch (datatype.changeMarkerType, value) {
            case (.datetime, .string(let text)): changedAt = Timestamps.parseRFC3339(text)
            case (.integer, _): changedAt = value.int64Value
            default: changedAt = nil
            }
            if changedAt == nil {
                throw DecodingProblem(description: "\(system) \(datatype.name) \(id): change marker '\(marker)' is not a \(datatype.changeMarkerType.rawValue): \(value.jsonText.prefix(40))")
            }
        }
        return NativeRecord(id: id, fields: json, changedAtMillis: changedAt, deleted: json["deleted"]?.boolValue ?? false, version: version)
    }

    /// Stands in for the id of a feed item that has none, so each such item keeps a quarantine entry of its
    /// own (instead of all sharing one): `(no id) ` and a hash of the item's bytes.
    static func placeholderId<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return "(no id) " + String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func idText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s) where !s.isEmpty: s
        case .number(let n): DecimalText(n)?.integerValue.map { String($0) } ?? n
        default: nil
        }
    }
}
