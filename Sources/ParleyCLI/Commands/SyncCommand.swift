import ArgumentParser
import Foundation
import ParleyEngine

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Run one pass over all flows until nothing is left to do, then exit.")

    @OptionGroup var options: ConfigOption
    @Option(name: .customLong("flow"), help: "Only this flow (repeatable).")
    var flows: [String] = []
    @Flag(help: "Print the plan (link / create / update / park / conflict) and write nothing.")
    var dryRun = false
    @Flag(help: "Apply deletes even beyond the circuit breaker's limit.")
    var allowMassDeletes = false

    func run() async throws {
        let logger = options.logger()
        let runtime: Runtime
        do {
            runtime = try await Runtime.open(configPath: options.config, logger: logger, scratchStore: dryRun)
        } catch {
            throw fail(error)
        }
        var engineOptions = EngineOptions()
        engineOptions.dryRun = dryRun
        engineOptions.allowMassDeletes = allowMassDeletes
        let progress = ProgressPrinter()
        let unknown = flows.filter { name in !runtime.flows.contains { $0.name == name } }
        if !unknown.isEmpty {
            await runtime.shutdown()
            throw fail(ValidationError("unknown flow(s): \(unknown.joined(separator: ", ")); configured: \(runtime.flows.map(\.name).joined(separator: ", "))"))
        }
        let report = await runtime.engine(engineOptions).syncPass(only: flows.isEmpty ? nil : Set(flows)) { progress.update($0) }
        progress.finish()
        await runtime.shutdown()
        for flowReport in report.flows {
            let flow = runtime.flows.first { $0.name == flowReport.flow }
            print(ReportPrinter.summary(flowReport, flow: flow))
            if dryRun { ReportPrinter.plan(flowReport, flow: flow).forEach { print($0) } }
        }
        if dryRun { print("dry run: nothing was written") }
        for error in report.errors { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
        if !report.errors.isEmpty { throw ExitCode.failure }
    }
}
