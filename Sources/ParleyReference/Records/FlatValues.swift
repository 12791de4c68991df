/// A record's property values keyed by dotted property name (`address.city`), without id and change marker.
typealias FlatValues = [String: JSONValue]

/// Renders stored values as the record's JSON representation (nested objects for dotted names),
/// id first and change marker last, properties in declaration order.
enum RecordRepresentation {
    static func render(_ values: FlatValues, id: RecordID, markerMilliseconds: Int64, datatype: DatatypeDefinition) -> JSONObject {
        var object = JSONObject()
        object[datatype.idField] = id.json
        for property in datatype.properties {
            set(values[property.name] ?? .null, at: property.path[...], in: &object)
        }
        object[datatype.changeMarker] = datatype.changeMarkerKind.render(markerMilliseconds)
        return object
    }

    static func tombstone(id: RecordID, markerMilliseconds: Int64, datatype: DatatypeDefinition) -> JSONObject {
        [
            datatype.idField: id.json,
            "deleted": .bool(true),
            datatype.changeMarker: datatype.changeMarkerKind.render(markerMilliseconds),
        ]
    }

    private static func set(_ value: JSONValue, at path: ArraySlice<String>, in object: inout JSONObject) {
        guard let head = path.first else { return }
        if path.count == 1 {
            object[head] = value
            return
        }
        var child = object[head]?.objectValue ?? JSONObject()
        set(value, at: path.dropFirst(), in: &child)
        object[head] = .object(child)
    }
}
