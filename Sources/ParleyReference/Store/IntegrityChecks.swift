import GRDB

/// Checks that need the database: references point at live records, unique values are free.
struct IntegrityChecks: Sendable {
    let system: SystemDefinition
    let datatype: DatatypeDefinition

    func checkReferences(_ db: Database, values: FlatValues, properties names: [String], subject: RecordSubject) throws {
        for name in names {
            guard let property = datatype.property(named: name), case .reference(let targetName) = property.type,
                  let value = values[name], !value.isNull else { continue }
            guard let target = system.datatype(named: targetName), let id = RecordID.parse(json: value, kind: target.idKind) else {
                throw ReferenceError.validation(subject, name, "must be the id of a \(targetName); got \(value.jsonText)")
            }
            switch try RecordTable(datatype: target).isLive(db, id: id) {
            case .none:
                throw ReferenceError.validation(subject, name, "references \(target.collection)/\(id.text), which does not exist")
            case .some(false):
                throw ReferenceError.validation(subject, name, "references \(target.collection)/\(id.text), which is deleted")
            case .some(true):
                continue
            }
        }
    }

    func checkUnique(_ db: Database, values: FlatValues, properties names: [String], excluding id: RecordID?, subject: RecordSubject) throws {
        let table = RecordTable(datatype: datatype)
        for name in names {
            guard let property = datatype.property(named: name), property.unique,
                  let value = values[name]?.stringValue else { continue }
            if let holder = try table.holder(db, of: property, value: value, excluding: id) {
                throw ReferenceError(
                    .conflict,
                    "\(subject): property '\(name)' must be unique, but \(JSONValue.string(value).jsonText) is already used by \(datatype.collection)/\(holder.text)",
                    property: name
                )
            }
        }
    }
}
