import ParleyCore

/// What is known about one side of a flow.
enum SideSchema {
    /// The system's schema describes the datatype.
    case known(DatatypeSchema)
    /// The system has no schema: types come from `type:` overrides, nothing else can be checked.
    case schemaless
    /// The datatype does not exist (already reported): checks against it are skipped.
    case invalid

    var datatype: DatatypeSchema? { if case .known(let datatype) = self { datatype } else { nil } }
}

/// Finds datatypes and properties in the systems' schemas, reporting near misses.
struct SchemaLookup {
    let schemas: [String: SystemSchema]

    func side(_ ref: Located<DatatypeRef>, issues: inout IssueList) -> SideSchema {
        guard let schema = schemas[ref.value.system] else { return .schemaless }
        if let datatype = schema.datatype(ref.value.datatype) { return .known(datatype) }
        let names = schema.datatypes.map(\.name)
        issues.add(
            ref.location,
            "unknown datatype '\(ref.value.datatype)' of \(ref.value.system)\(Suggestions.hint(for: ref.value.datatype, in: names)); \(ref.value.system) has: \(names.joined(separator: ", "))"
        )
        return .invalid
    }

    /// The property named by `path`, or nil after reporting it as unknown (only for known datatypes).
    func property(_ path: Located<String>, of ref: DatatypeRef, in side: SideSchema, issues: inout IssueList) -> PropertySchema? {
        guard let datatype = side.datatype else { return nil }
        if let property = datatype.property(path.value) { return property }
        let hint = Suggestions.hint(for: path.value, in: datatype.properties.map(\.name))
        issues.add(path.location, "unknown property '\(path.value)' of \(ref)\(hint)")
        return nil
    }

    /// The id type of a datatype, when its system has a schema describing it.
    func idType(of ref: DatatypeRef) -> PropertyType? {
        schemas[ref.system]?.datatype(ref.datatype)?.idType
    }
}
