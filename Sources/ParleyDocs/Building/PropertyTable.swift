import ParleyCore

/// The "following properties are synchronized" table: source | target | target type, for the properties
/// that travel in the document's direction, plus values Parley derives when it creates a target record.
enum PropertyTable {
    static func make(for flow: DirectedFlow, flowsByName: [String: FlowDefinition]) -> DocumentTable? {
        let defaults = flow.flow.createDefaults[flow.target] ?? [:]
        var rows: [[String]] = []
        var mappedTargets: Set<String> = []
        for mapping in flow.carriedProperties {
            let targetPath = mapping.path(on: flow.target)
            mappedTargets.insert(targetPath)
            let referenced = referencedName(of: mapping, in: flow, flowsByName: flowsByName)
            rows.append([
                mapping.path(on: flow.source), targetPath,
                TypeDescription.cell(for: mapping, in: flow, referencedName: referenced, createDefault: defaults[targetPath]),
            ])
        }
        // A default on a property no mapping writes is a derived value: it has no source property and
        // no type to check beyond the value itself.
        for path in defaults.keys.sorted() where !mappedTargets.contains(path) {
            guard let value = defaults[path] else { continue }
            rows.append(["N/A", path, "N/A (derived: set on create to \(value.jsonText))"])
        }
        guard !rows.isEmpty else { return nil }
        return DocumentTable(
            header: ["\(flow.sourceName) Property", "\(flow.targetName) Property", "\(flow.targetSystem) Data Type"], rows: rows)
    }

    /// The referenced datatype on the target side ("Customer"): as the target schema names it, else as
    /// the referenced flow names it there.
    static func referencedName(of mapping: PropertyMapping, in flow: DirectedFlow, flowsByName: [String: FlowDefinition]) -> String? {
        guard mapping.reference != nil || mapping.type(on: flow.target) == .reference else { return nil }
        if let datatype = flow.schema(on: flow.target)?.property(mapping.path(on: flow.target))?.references {
            return Naming.capitalized(datatype)
        }
        return DependencyStatement.referencedDatatype(of: mapping, system: flow.targetRef.system, flowsByName: flowsByName)
    }
}
