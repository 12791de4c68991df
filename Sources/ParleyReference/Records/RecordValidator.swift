/// Turns a request body into validated, normalized property values: for creates (defaults, required
/// properties) and for JSON merge-patches (RFC 7396) against the stored record.
struct RecordValidator: Sendable {
    let system: SystemDefinition
    let datatype: DatatypeDefinition

    /// A request body split into property values and the read-only fields it mentioned.
    struct FlatInput {
        var values: FlatValues = [:]
        var order: [String] = []
        var readOnly: [String: JSONValue] = [:]
    }

    struct PatchResult {
        let values: FlatValues
        let changed: [String]
    }

    private var valueValidator: ValueValidator { ValueValidator(system: system) }

    func validateCreate(_ body: JSONObject) throws(ReferenceError) -> FlatValues {
        let subject = RecordSubject(collection: datatype.collection, id: nil)
        let input = try flatten(body, subject: subject)
        if let field = input.readOnly.keys.sorted().first {
            throw .validation(subject, field, "is read-only: it is set by \(system.displayName), leave it out when creating a \(datatype.name)")
        }
        var values = FlatValues()
        for property in datatype.properties {
            if let given = input.values[property.name] {
                values[property.name] = try valueValidator.normalize(given, for: property, subject: subject)
            } else if let defaultValue = property.defaultValue {
                values[property.name] = defaultValue
            } else if property.required {
                throw .validation(subject, property.name, "is required (\(property.type.schemaName))")
            } else {
                values[property.name] = .null
            }
        }
        try checkRules(values, subject: subject)
        return values
    }

    /// Applies a merge-patch body to the stored values; `changed` lists the properties whose stored value differs.
    func validatePatch(_ body: JSONObject, id: RecordID, current: FlatValues, currentMarker: JSONValue) throws(ReferenceError) -> PatchResult {
        let subject = RecordSubject(collection: datatype.collection, id: id)
        let input = try flatten(body, subject: subject)
        for (field, given) in input.readOnly.sorted(by: { $0.key < $1.key }) {
            let stored = field == datatype.idField ? id.json : currentMarker
            let matches = field == datatype.idField ? RecordID.parse(json: given, kind: datatype.idKind) == id : given == stored
            if !matches {
                throw .validation(subject, field, "is read-only and cannot be changed (stored value \(stored.jsonText), got \(given.jsonText))")
            }
        }
        var values = current
        var changed: [String] = []
        for name in input.order {
            guard let property = datatype.property(named: name), let given = input.values[name] else { continue }
            let normalized = try valueValidator.normalize(given, for: property, subject: subject)
            if (current[name] ?? .null) != normalized, !changed.contains(name) {
                changed.append(name)
            }
            values[name] = normalized
        }
        changed.removeAll { (current[$0] ?? .null) == values[$0] }
        try checkRules(values, subject: subject)
        return PatchResult(values: values, changed: changed)
    }

    /// Splits a (possibly nested) body into dotted property names; unknown keys are rejected.
    func flatten(_ body: JSONObject, subject: RecordSubject) throws(ReferenceError) -> FlatInput {
        var input = FlatInput()
        try flatten(body, prefix: "", subject: subject, into: &input)
        return input
    }

    private func flatten(_ object: JSONObject, prefix: String, subject: RecordSubject, into input: inout FlatInput) throws(ReferenceError) {
        for (key, value) in object.pairs {
            let name = prefix + key
            if prefix.isEmpty, key == datatype.idField || key == datatype.changeMarker {
                input.readOnly[name] = value
            } else if let property = datatype.property(named: name) {
                if property.readOnly {
                    input.readOnly[name] = value
                } else {
                    input.values[name] = value
                    input.order.append(name)
                }
            } else if isGroup(name) {
                switch value {
                case .object(let nested):
                    try flatten(nested, prefix: name + ".", subject: subject, into: &input)
                case .null:
                    for property in datatype.properties where property.name.hasPrefix(name + ".") && !property.readOnly {
                        input.values[property.name] = .null
                        input.order.append(property.name)
                    }
                default:
                    throw .validation(subject, name, "must be an object (or null to clear it); got \(value.jsonText)")
                }
            } else {
                let known = ([datatype.idField] + datatype.properties.map(\.name) + [datatype.changeMarker]).joined(separator: ", ")
                throw .validation(subject, name, "is not a property of \(system.name).\(datatype.name); known properties: \(known)")
            }
        }
    }

    private func isGroup(_ name: String) -> Bool {
        datatype.properties.contains { $0.name.hasPrefix(name + ".") }
    }

    private func checkRules(_ values: FlatValues, subject: RecordSubject) throws(ReferenceError) {
        for rule in datatype.rules {
            switch rule {
            case .notBefore(let property, let other):
                guard let text = values[property]?.stringValue, let date = CalendarDate(parsing: text),
                      let otherText = values[other]?.stringValue, let otherDate = CalendarDate(parsing: otherText)
                else { continue }
                if date < otherDate {
                    throw .validation(subject, property, "must not be before \(other) (\(otherText)); got \"\(text)\"")
                }
            }
        }
    }
}
