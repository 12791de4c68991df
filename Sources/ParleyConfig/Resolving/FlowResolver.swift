import ParleyCore

/// Turns a loaded configuration into ParleyCore `FlowDefinition`s, checking it against the systems'
/// schemas (from each system's `/schema`), keyed by system name. A system missing from `schemas` is
/// treated as schema-less: its properties' types must then be given with `type:`.
///
/// The flows come back ordered so that each comes after the flows it references.
public func resolveFlows(
    _ config: ParleyConfiguration, schemas: [String: SystemSchema]
) -> Result<[FlowDefinition], ConfigErrors> {
    FlowResolver.resolve(config, schemas: schemas)
}

public enum FlowResolver {
    public static func resolve(
        _ config: ParleyConfiguration, schemas: [String: SystemSchema]
    ) -> Result<[FlowDefinition], ConfigErrors> {
        var issues = IssueList()
        FlowGraph.check(config.flows, issues: &issues)
        let lookup = SchemaLookup(schemas: schemas)
        var definitions: [String: FlowDefinition] = [:]
        for flow in config.flows {
            var resolver = SingleFlowResolver(flow: flow, config: config, lookup: lookup)
            let definition = resolver.resolve()
            issues.append(contentsOf: resolver.issues)
            if let definition { definitions[definition.name] = definition }
        }
        guard issues.isEmpty else { return .failure(ConfigErrors(file: config.configFileName, issues: issues.issues)) }
        return .success(FlowGraph.ordered(config.flows).compactMap { definitions[$0.name.value] })
    }
}
