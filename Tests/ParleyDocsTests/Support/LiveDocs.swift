import ParleyConfig
import ParleyCore
import ParleyDocs
import ParleyTestSupport

/// The default configuration resolved against the schemas the bundled Custom ERP and Custom PMS serve
/// live, loaded once for all tests (starting the systems is the slow part); the systems are stopped as
/// soon as the schemas are read.
enum LiveDocs {
    static let generated = "2024-10-28 00:00:00"

    private static let loaded = Task { try await load() }

    static func docs() async throws -> DataflowDocs { try await loaded.value }

    static func document(from: String, to: String) async throws -> DataflowDocument {
        try await docs().document(for: DocsDirection(from: from, to: to), generated: generated)
    }

    private static func load() async throws -> DataflowDocs {
        let harness = try await SyncHarness.start()
        do {
            var schemas: [String: SystemSchema] = [:]
            for (name, connector) in harness.connectors { schemas[name] = try await connector.schema() }
            let config = try ConfigLoader.load(path: harness.configPath, environment: [:])
            let titles = Dictionary(config.systems.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
            await harness.stop()
            return DataflowDocs(flows: harness.flows, schemas: schemas, titles: titles)
        } catch {
            await harness.stop()
            throw error
        }
    }
}

/// How often `needle` occurs in `text` (non-overlapping).
func occurrences(of needle: String, in text: String) -> Int {
    text.split(separator: needle, omittingEmptySubsequences: false).count - 1
}
