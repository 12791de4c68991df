import ParleyCore

/// Resolves the fixed values a flow writes — archive markers and create defaults: the property must exist
/// and be writable, and the value must fit its type.
struct FieldValueResolver {
    let flow: FlowConfig
    let sides: [Side: SideSchema]
    let lookup: SchemaLookup
    var issues = IssueList()

    mutating func archiveMarkers() -> [Side: ArchiveMarker] {
        var markers: [Side: ArchiveMarker] = [:]
        for (side, archive) in flow.archive.inSideOrder {
            guard let value = resolve(archive.field, on: side, purpose: "archive") else { continue }
            var restoreValue: JSONValue?
            if let restore = archive.restore {
                restoreValue = resolve(FieldValueConfig(property: archive.field.property, value: restore), on: side, purpose: "archive")
                if restoreValue == value { issues.add(restore.location, "the restore value is the archive value itself (\(value.jsonText)): give the value that means \"not archived\"") }
            } else if case .bool(let archived) = value {
                restoreValue = .bool(!archived)
            }
            markers[side] = ArchiveMarker(property: archive.field.property.value, value: value, restoreValue: restoreValue)
        }
        return markers
    }

    mutating func createDefaults() -> [Side: [String: JSONValue]] {
        var defaults: [Side: [String: JSONValue]] = [:]
        for (side, fields) in flow.defaults.inSideOrder {
            for field in fields {
                if let value = resolve(field, on: side, purpose: "default") { defaults[side, default: [:]][field.property.value] = value }
            }
        }
        return defaults
    }

    private mutating func resolve(_ field: FieldValueConfig, on side: Side, purpose: String) -> JSONValue? {
        let ref = flow.datatype(on: side).value
        let sideSchema = sides[side] ?? .invalid
        switch sideSchema {
        case .invalid: return nil
        case .schemaless:
            // Without a schema, a type is known only when the property is also mapped with `type:`.
            let declared = flow.properties.first { $0.path(on: side).value == field.property.value }?.types[side]?.value
            guard let declared else { return field.value.value }
            return coerce(field, to: declared, enumValues: nil, name: "\(ref).\(field.property.value)")
        case .known:
            guard let property = lookup.property(field.property, of: ref, in: sideSchema, issues: &issues) else { return nil }
            if property.readOnly {
                issues.add(field.property.location, "\(ref).\(property.name) is read-only and cannot be set as \(purpose == "archive" ? "an archive marker" : "a default")")
                return nil
            }
            return coerce(field, to: property.type, enumValues: property.values, name: "\(ref).\(property.name)")
        }
    }

    private mutating func coerce(_ field: FieldValueConfig, to type: PropertyType, enumValues: [String]?, name: String) -> JSONValue? {
        switch ValueCoercion.coerce(field.value.value, to: type, enumValues: enumValues) {
        case .success(let value): return value
        case .failure(let problem):
            issues.add(field.value.location, "\(problem.message) for \(name) (\(type.rawValue))")
            return nil
        }
    }
}
