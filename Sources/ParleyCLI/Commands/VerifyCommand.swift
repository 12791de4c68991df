import ArgumentParser
import Foundation
import ParleyCore
import ParleyEngine
import ParleyStore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the dataflow checklist against the live systems; exit 0 only when every promise holds.",
        discussion: "The --json output is documented in docs/verify.md.")

    @OptionGroup var options: ConfigOption
    @Option(name: .customLong("flow"), help: "Only this flow (repeatable).") var flows: [String] = []
    @Flag(help: "Machine-readable output (stable; see docs/verify.md).") var json = false
    @Option(help: "List at most this many findings of each kind per flow.") var limit = 1_000

    func run() async throws {
        let logger = options.logger()
        let runtime: Runtime
        do {
            runtime = try await Runtime.open(configPath: options.config, logger: logger)
        } catch {
            throw fail(error)
        }
        let report = await runtime.engine(EngineOptions()).verify(only: flows.isEmpty ? nil : Set(flows), makeIndex: { try SQLiteVerificationIndex() }, listCap: limit)
        await runtime.shutdown()
        if json {
            print(VerifyOutput.json(report).jsonText)
        } else {
            VerifyOutput.human(report, flows: runtime.flows).forEach { print($0) }
        }
        if !report.ok { throw ExitCode(1) }
    }
}

enum VerifyOutput {
    static func json(_ report: VerificationReport) -> JSONValue {
        .object([
            "ok": .bool(report.ok),
            "errors": .array(report.errors.map(JSONValue.string)),
            "flows": .array(report.flows.map { flow in
                .object([
                    "flow": .string(flow.flow), "left": .string(flow.left), "right": .string(flow.right), "ok": .bool(flow.ok),
                    "leftRecords": .int(flow.leftRecords), "rightRecords": .int(flow.rightRecords), "linked": .int(flow.linked),
                    "agreeing": .int(flow.agreeing), "parked": .int(flow.parked), "quarantined": .int(flow.quarantined),
                    "ambiguous": .int(flow.ambiguous), "pending": .int(flow.pending), "truncated": .int(flow.truncated),
                    "differences": .array(flow.differences.map {
                        ["leftId": .string($0.leftId), "rightId": .string($0.rightId), "property": .string($0.property),
                         "rightProperty": .string($0.rightProperty), "leftValue": .string($0.leftValue), "rightValue": .string($0.rightValue)]
                    }),
                    "missing": .array(flow.missing.map { ["side": .string($0.side.rawValue), "id": .string($0.id), "reason": .string($0.reason)] }),
                    "unreadable": .array(flow.unreadable.map { ["side": .string($0.side.rawValue), "id": .string($0.id), "reason": .string($0.reason)] }),
                    "duplicates": .array(flow.duplicates.map {
                        ["side": .string($0.side.rawValue), "key": .string($0.key), "ids": .array($0.ids.map(JSONValue.string))]
                    }),
                ])
            }),
        ])
    }

    static func human(_ report: VerificationReport, flows: [FlowDefinition]) -> [String] {
        var lines: [String] = []
        lines.append(pad("flow", 12) + pad("left", 8) + pad("right", 8) + pad("linked", 8) + pad("agree", 8) + pad("differ", 8)
            + pad("missing", 9) + pad("dupes", 7) + pad("parked", 8) + pad("quarant.", 10) + pad("ambig.", 8) + "result")
        for flow in report.flows {
            lines.append(pad(flow.flow, 12) + pad("\(flow.leftRecords)", 8) + pad("\(flow.rightRecords)", 8) + pad("\(flow.linked)", 8)
                + pad("\(flow.agreeing)", 8) + pad("\(flow.differences.count)", 8) + pad("\(flow.missing.count)", 9)
                + pad("\(flow.duplicates.count)", 7) + pad("\(flow.parked)", 8) + pad("\(flow.quarantined)", 10) + pad("\(flow.ambiguous)", 8)
                + (flow.ok ? "OK" : "FAILED"))
        }
        for flow in report.flows {
            let definition = flows.first { $0.name == flow.flow }
            let leftSystem = definition?.left.system ?? "left"
            let rightSystem = definition?.right.system ?? "right"
            for d in flow.differences {
                lines.append("  \(flow.flow): \(leftSystem) \(d.leftId) \(d.property) = '\(d.leftValue)' but \(rightSystem) \(d.rightId) \(d.rightProperty) = '\(d.rightValue)'")
            }
            for m in flow.missing {
                lines.append("  \(flow.flow): \(m.side == .left ? flow.left : flow.right) \(m.id): \(m.reason)")
            }
            for u in flow.unreadable {
                lines.append("  \(flow.flow): \(u.side == .left ? flow.left : flow.right) \(u.id) cannot be read: \(u.reason)")
            }
            for dup in flow.duplicates {
                lines.append("  \(flow.flow): duplicate merge key on \(dup.side == .left ? flow.left : flow.right): \(dup.ids.joined(separator: ", "))")
            }
            if flow.truncated > 0 { lines.append("  \(flow.flow): \(flow.truncated) more findings not listed (raise --limit)") }
        }
        for error in report.errors { lines.append("error: \(error)") }
        lines.append(report.ok ? "verify: OK — every promise of the checklist holds" : "verify: FAILED")
        return lines
    }
}
