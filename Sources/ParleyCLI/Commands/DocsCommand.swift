import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore
import ParleyDocs

/// `parley docs`: the dataflow QA checklist, one document per direction, generated from the configuration
/// and the systems' live schemas (which give the Data Type column).
struct DocsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the dataflow QA checklist generated from the configuration (one document per direction).")

    @OptionGroup var options: ConfigOption
    @Option(help: "Output format: rst, md or html.") var format = "rst"
    @Option(help: "Only the document for changes from this system (with --to).") var from: String?
    @Option(help: "Only the document for changes to this system (with --from).") var to: String?
    @Option(
        name: .shortAndLong,
        help: "A folder for one file per direction, or a file when --from/--to name one direction; default: stdout.")
    var output: String?
    @Option(help: "The 'Generated:' date (YYYY-MM-DD[ HH:MM:SS], UTC) for reproducible output; default: now.")
    var generated: String?

    func validate() throws {
        guard DocumentFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of: \(DocumentFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (from == nil) == (to == nil) else { throw ValidationError("--from and --to go together") }
        if let generated, GeneratedStamp.parse(generated) == nil {
            throw ValidationError("--generated '\(generated)' is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS")
        }
    }

    func run() async throws {
        let format = DocumentFormat(rawValue: format) ?? .rst
        let (config, flows, schemas) = try await loadFlows()
        let titles = Dictionary(config.systems.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        let docs = DataflowDocs(flows: flows, schemas: schemas, titles: titles)
        let directions = try wrap { try selectedDirections(docs, config: config) }
        let stamp = generated.flatMap(GeneratedStamp.parse) ?? GeneratedStamp.format(epochSeconds: Int64(Date().timeIntervalSince1970))
        let documents = directions.map { (direction: $0, text: format.render(docs.document(for: $0, generated: stamp))) }

        guard let output else {
            print(documents.map(\.text).joined(separator: "\n"), terminator: "")
            return
        }
        try wrap {
            // One asked-for direction goes to the file named; otherwise the path is a folder of files.
            if from != nil, let document = documents.first {
                try write(document.text, to: output)
            } else {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for document in documents {
                    try write(document.text, to: "\(output)/\(document.direction.fileStem).\(format.fileExtension)")
                }
            }
        }
    }

    /// The configuration, its flows resolved against each system's `/schema`, and those schemas. Unlike
    /// `Runtime.open` this opens no state store: documentation must not create a state file.
    func loadFlows() async throws -> (ParleyConfiguration, [FlowDefinition], [String: SystemSchema]) {
        let config = try wrap { try Runtime.load(configPath: options.config) }
        let schemas: [String: SystemSchema]
        do {
            let connectors = try await Runtime.makeConnectors(config)
            do {
                schemas = try await Runtime.fetchSchemas(config, connectors: connectors)
            } catch {
                await Runtime.shutdown(connectors)
                throw error
            }
            await Runtime.shutdown(connectors)
        } catch {
            throw fail(error)
        }
        switch resolveFlows(config, schemas: schemas) {
        case .success(let flows): return (config, flows, schemas)
        case .failure(let errors): throw fail(errors)
        }
    }

    func selectedDirections(_ docs: DataflowDocs, config: ParleyConfiguration) throws -> [DocsDirection] {
        guard let from, let to else { return docs.directions }
        for system in [from, to] where config.system(named: system) == nil {
            throw ValidationError("unknown system '\(system)'; configured: \(config.systems.map(\.name).joined(separator: ", "))")
        }
        let direction = DocsDirection(from: from, to: to)
        guard docs.directions.contains(direction) else {
            throw ValidationError("no flow connects '\(from)' and '\(to)'")
        }
        return [direction]
    }

    func write(_ text: String, to path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
}
