import ArgumentParser
import ParleyConfig
import ParleyCore
import ParleyEngine

/// `parley record`: what Parley holds about one record and why it has (not) synced — the management API's record
/// status, from the state alone (no server, no systems needed).
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: "One record's status: linked, waiting (and on what), held, quarantined, deleted, or never seen; with its history.")

    @OptionGroup var options: ConfigOption
    @Option(help: "The flow.") var flow: String
    @Option(help: "The record's side: left, right, or the system's name.") var side: String
    @Argument(help: "The record's id in that system.") var id: String
    @Option(help: "At most this many history entries.") var limit = 20

    func run() async throws {
        let (config, store) = try await openStateStore(options)
        guard let flowConfig = config.flow(named: flow) else {
            throw fail(ValidationError("no flow named '\(flow)'; the configured flows are: \(config.flows.map(\.name.value).joined(separator: ", "))"))
        }
        let labels: [Side: String] = [.left: flowConfig.left.value.description, .right: flowConfig.right.value.description]
        guard let side = Side(rawValue: side) ?? Side.allCases.first(where: { flowConfig.datatype(on: $0).value.system == side }) else {
            throw fail(ValidationError("'\(side)' is not a side of flow '\(flow)': use left, right, \(flowConfig.left.value.system) or \(flowConfig.right.value.system)"))
        }
        let facts = RecordStatus.FlowFacts(name: flow, labels: labels, deletes: flowConfig.deletes.value.rawValue)
        let status: RecordStatus
        do {
            status = try await RecordStatus.load(from: store, flow: facts, side: side, id: id, historyLimit: limit)
        } catch {
            throw fail(error)
        }
        print(RecordReport.text(status))
    }
}

/// The plain-text form of a record's status.
enum RecordReport {
    static func text(_ status: RecordStatus) -> String {
        let flow = status.flow
        var lines = ["\(flow.name): \(flow.labels[status.side] ?? status.side.rawValue) \(status.id) — \(status.status.rawValue)", status.summary]
        if let link = status.link {
            lines.append("link: \(flow.labels[.left] ?? "left") \(link.leftId ?? "–") <-> \(flow.labels[.right] ?? "right") \(link.rightId ?? "–")"
                + " (\(link.state.rawValue), updated \(Timestamps.rfc3339(millis: link.updatedAtMillis)))")
        }
        if let staged = status.staged {
            lines.append("staged: \(staged.state.rawValue)\(staged.reason.map { " — \($0)" } ?? "")"
                + (staged.related.isEmpty ? "" : " [\(staged.related.joined(separator: ", "))]"))
        }
        if let entry = status.quarantine {
            lines.append("quarantined since \(Timestamps.rfc3339(millis: entry.atMillis)) after \(entry.attempts) attempt(s): \(entry.reason)")
        }
        if status.history.isEmpty {
            lines.append("history: none")
        } else {
            lines.append("history (newest first):")
            for entry in status.history {
                let changes = entry.changes.map { "\($0.property): \($0.before.display) → \($0.after.display)" }.joined(separator: ", ")
                lines.append("  \(Timestamps.rfc3339(millis: entry.atMillis)) \(entry.action.rawValue) on \(flow.labels[entry.target] ?? entry.target.rawValue)"
                    + (changes.isEmpty ? "" : " (\(changes))") + (entry.note.map { ": \($0)" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }
}
