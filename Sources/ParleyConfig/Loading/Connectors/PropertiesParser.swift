import ParleyCore

/// A property declared in a connector's configuration (systems without a `/schema` describe their
/// datatypes there), with the reader of its entry for connector-specific keys such as `column`.
struct ParsedProperty {
    var schema: PropertySchema
    var location: ConfigLocation
    /// The property's mapping, or nil for the short form (`email: string`).
    var reader: ObjectReader?
}

/// Reads `properties:` of a configured datatype:
///
/// ```yaml
/// properties:
///   email: string                                   # short form: just the type
///   status: {type: enum, values: [open, closed]}
///   customerId: {type: reference, references: customer, required: true}
/// ```
struct PropertiesParser {
    static let keys = ["type", "required", "readOnly", "unique", "values", "references"]

    /// Connector-specific keys allowed in a property's mapping (`column` for SQL).
    let extraKeys: [String]
    var issues = IssueList()

    mutating func parse(_ node: ConfigNode, at location: ConfigLocation) -> [ParsedProperty] {
        guard case .mapping(let entries) = node.content else {
            issues.expected("a mapping from property names to their types", found: node, at: location)
            return []
        }
        guard !entries.isEmpty else {
            issues.add(location, "at least one property is required")
            return []
        }
        return entries.compactMap { entry in
            let path = ConfigPath.key(entry.key, in: location.path)
            let propertyLocation = ConfigLocation(path: path, line: entry.keyLine)
            guard ValueTemplate.isFieldPath(entry.key) else {
                issues.add(propertyLocation, "'\(entry.key)' is not a property path (letters, digits, '_', '-', dotted for nested fields)")
                return nil
            }
            return parseProperty(entry.key, entry.value, at: ConfigLocation(path: path, line: entry.value.line ?? entry.keyLine))
        }
    }

    private mutating func parseProperty(_ name: String, _ node: ConfigNode, at location: ConfigLocation) -> ParsedProperty? {
        if node.text != nil {
            guard let type = Scalars.choice(node, among: Choices.types, at: location, issues: &issues) else { return nil }
            if type == .enum || type == .reference {
                issues.add(location, "a property of type \(type.rawValue) needs the long form: {type: \(type.rawValue), \(type == .enum ? "values: [...]" : "references: <datatype>")}")
                return nil
            }
            return ParsedProperty(schema: PropertySchema(name: name, type: type), location: location, reader: nil)
        }
        guard let reader = ObjectReader(node, path: location.path, allowed: Self.keys + extraKeys, issues: &issues) else { return nil }
        guard let typeNode = reader.required("type", issues: &issues),
            let type = Scalars.choice(typeNode, among: Choices.types, at: reader.location(of: "type"), issues: &issues)
        else { return nil }
        var property = PropertySchema(name: name, type: type)
        property.required = flag("required", in: reader)
        property.readOnly = flag("readOnly", in: reader)
        property.unique = flag("unique", in: reader)
        if let valuesNode = reader.node("values") {
            if type != .enum {
                issues.add(reader.location(of: "values"), "'values' applies to enum properties only (this one is \(type.rawValue))")
            } else {
                property.values = enumValues(valuesNode, at: reader.location(of: "values"))
            }
        } else if type == .enum {
            issues.add(reader.location, "missing required key 'values' (the enum's values)")
        }
        if let referencesNode = reader.node("references") {
            if type != .reference {
                issues.add(reader.location(of: "references"), "'references' applies to reference properties only (this one is \(type.rawValue))")
            } else {
                property.references = Scalars.identifier(referencesNode, at: reader.location(of: "references"), issues: &issues)
            }
        } else if type == .reference {
            issues.add(reader.location, "missing required key 'references' (the datatype referred to)")
        }
        if property.required, property.readOnly {
            issues.add(reader.location(of: "readOnly"), "a property cannot be both required and readOnly (Parley could not supply it on create)")
        }
        return ParsedProperty(schema: property, location: location, reader: reader)
    }

    private mutating func flag(_ key: String, in reader: ObjectReader) -> Bool {
        guard let node = reader.node(key) else { return false }
        return Scalars.bool(node, at: reader.location(of: key), issues: &issues) ?? false
    }

    private mutating func enumValues(_ node: ConfigNode, at location: ConfigLocation) -> [String]? {
        guard case .sequence(let items) = node.content, !items.isEmpty else {
            issues.expected("a non-empty list of values", found: node, at: location)
            return nil
        }
        var values: [String] = []
        for (index, item) in items.enumerated() {
            let itemLocation = ConfigLocation(path: ConfigPath.index(index, in: location.path), line: item.line)
            guard let text = Scalars.nonEmptyText(item, at: itemLocation, issues: &issues) else { continue }
            if values.contains(text) {
                issues.add(itemLocation, "value '\(text)' is listed twice")
            } else {
                values.append(text)
            }
        }
        return values
    }

    /// Reports `references:` naming a datatype the system does not declare.
    static func checkReferences(_ properties: [ParsedProperty], datatypes: [String], system: String, issues: inout IssueList) {
        for property in properties {
            guard let target = property.schema.references, !datatypes.contains(target) else { continue }
            let location = property.reader?.location(of: "references") ?? property.location
            issues.add(
                location,
                "unknown datatype '\(target)' of \(system)\(Suggestions.hint(for: target, in: datatypes)); \(system) declares: \(datatypes.joined(separator: ", "))"
            )
        }
    }
}
