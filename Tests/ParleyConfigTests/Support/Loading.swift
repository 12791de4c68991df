import ParleyConfig
import ParleyCore
import Testing

/// Helpers shared by the tests: load text, resolve, and get the issues of a config expected to fail.
enum Fixture {
    static let configPath = "/etc/parley/parley.yaml"

    static func load(_ yaml: String, environment: [String: String] = [:]) throws -> ParleyConfiguration {
        try ConfigLoader.load(yaml: yaml, configPath: configPath, environment: environment)
    }

    /// The loader's issues for text expected not to load (empty when it loads).
    static func loadIssues(_ yaml: String, environment: [String: String] = [:]) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader.load(yaml: yaml, configPath: configPath, environment: environment)
            return []
        } catch {
            return error.issues
        }
    }

    static func resolve(_ yaml: String, schemas: [String: SystemSchema] = ReferenceSchemas.all) throws -> [FlowDefinition] {
        try resolveFlows(load(yaml), schemas: schemas).get()
    }

    /// The resolver's issues for text that loads but is expected not to resolve.
    static func resolveIssues(_ yaml: String, schemas: [String: SystemSchema] = ReferenceSchemas.all) throws -> [ConfigIssue] {
        switch resolveFlows(try load(yaml), schemas: schemas) {
        case .success: return []
        case .failure(let errors): return errors.issues
        }
    }
}

extension Fixture {
    static func resolveIssueTexts(_ yaml: String, schemas: [String: SystemSchema] = ReferenceSchemas.all) throws -> [String] {
        try resolveIssues(yaml, schemas: schemas).map(\.text)
    }
}

extension ConfigIssue {
    /// `line: path: message`, compact for exact assertions.
    var text: String { description }
}
