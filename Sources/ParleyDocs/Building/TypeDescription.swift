import ParleyCore

/// The "Data Type" cell of a property row: the target's type as its schema states it, with what a
/// tester needs to know to check the value (allowed values, conversion, case handling, create default).
enum TypeDescription {
    /// `"integer" (× 100, rounded)`, `reference (Customer)`, `"string" (one of: a, b; enum map A→a, B→b)`.
    static func cell(for mapping: PropertyMapping, in flow: DirectedFlow, referencedName: String?, createDefault: JSONValue?) -> String {
        let targetPath = mapping.path(on: flow.target)
        let targetProperty = flow.schema(on: flow.target)?.property(targetPath)
        let sourceProperty = flow.schema(on: flow.source)?.property(mapping.path(on: flow.source))
        let type = targetProperty?.type ?? mapping.type(on: flow.target)

        var notes: [String] = []
        if type == .enum, let values = targetProperty?.values, !values.isEmpty {
            notes.append("one of: " + values.joined(separator: ", "))
        }
        if let conversion = ConversionNote.describe(
            mapping.conversion, from: flow.source, sourceValues: sourceProperty?.values, targetType: type)
        {
            notes.append(conversion)
        }
        if mapping.ignoreCase { notes.append("compared ignoring case") }
        if let createDefault { notes.append("if empty on create: \(createDefault.jsonText)") }

        let base = type == .reference ? "reference (\(referencedName ?? "record"))" : quoted(type)
        return notes.isEmpty ? base : "\(base) (\(notes.joined(separator: "; ")))"
    }

    /// Enums are strings on the wire; the allowed values go in the note.
    static func quoted(_ type: PropertyType) -> String {
        type == .enum ? "\"string\"" : "\"\(type.rawValue)\""
    }
}
