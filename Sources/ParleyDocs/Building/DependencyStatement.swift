import ParleyCore

/// Records that reference others (a project's customer) wait until what they reference is linked.
enum DependencyStatement {
    /// "A Custom ERP Project is created in the Custom PMS only once its Customer is linked; until then it
    /// waits (parked) and resumes automatically." Nil when no carried property is a reference.
    static func make(_ flow: DirectedFlow, flowsByName: [String: FlowDefinition]) -> RichText? {
        var names: [String] = []
        for mapping in flow.carriedProperties where mapping.reference != nil {
            let name = referencedDatatype(of: mapping, system: flow.sourceRef.system, flowsByName: flowsByName)
                ?? flow.schema(on: flow.source)?.property(mapping.path(on: flow.source))?.references.map(Naming.capitalized)
                ?? mapping.path(on: flow.source)
            if !names.contains(name) { names.append(name) }
        }
        guard !names.isEmpty else { return nil }
        let subject = MergeStatements.capitalizedFirst(Naming.withArticle(flow.sourceName))
        let referenced = Naming.list(names.map { "its \($0)" })
        return """
            \(subject) is created in the \(flow.targetSystem) only once \(referenced) \(names.count == 1 ? "is" : "are") linked; \
            until then it waits (parked) and resumes automatically.
            """
    }

    /// The datatype the reference points at, as the referenced flow names it in `system` ("Customer").
    static func referencedDatatype(of mapping: PropertyMapping, system: String, flowsByName: [String: FlowDefinition]) -> String? {
        guard let flowName = mapping.reference?.flow, let referenced = flowsByName[flowName] else { return nil }
        if referenced.left.system == system { return Naming.capitalized(referenced.left.datatype) }
        if referenced.right.system == system { return Naming.capitalized(referenced.right.datatype) }
        return nil
    }
}
