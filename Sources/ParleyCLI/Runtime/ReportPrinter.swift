import Foundation
import ParleyCore
import ParleyEngine

/// Human-readable summaries of passes.
enum ReportPrinter {
    static func summary(_ report: FlowReport, flow: FlowDefinition?) -> String {
        let left = flow?.left.system ?? "left"
        let right = flow?.right.system ?? "right"
        func sides(_ counts: [Side: Int]) -> String {
            "\(left) \(counts[.left] ?? 0), \(right) \(counts[.right] ?? 0)"
        }
        var parts = ["read \(sides(report.read))"]
        parts.append("linked \(report.linked)")
        parts.append("created \(sides(report.created))")
        parts.append("updated \(sides(report.updated))")
        if report.archived.values.contains(where: { $0 > 0 }) { parts.append("archived \(sides(report.archived))") }
        if report.deleted.values.contains(where: { $0 > 0 }) { parts.append("deleted \(sides(report.deleted))") }
        parts.append("conflicts \(report.conflicts)")
        parts.append("parked \(report.parked)")
        parts.append("ambiguous \(report.ambiguous)")
        parts.append("quarantined \(report.quarantined)")
        if report.deferred > 0 { parts.append("deferred \(report.deferred)") }
        return "\(report.flow): " + parts.joined(separator: ", ")
    }

    static func plan(_ report: FlowReport, flow: FlowDefinition?) -> [String] {
        let lines = report.plan.map { entry in
            let system = entry.side == .left ? flow?.left.description ?? "left" : flow?.right.description ?? "right"
            return "  would \(entry.action.rawValue) \(system) \(entry.id): \(entry.detail)"
        }
        return report.planOmitted > 0 ? lines + ["  … and \(report.planOmitted) more (the counts above cover them)"] : lines
    }
}

/// Progress on long passes: a live line on a terminal, a plain line every few seconds otherwise.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let interactive: Bool
    private var lastPrint = Date.distantPast
    private let start = Date()

    init() { interactive = isatty(STDOUT_FILENO) == 1 }

    func update(_ progress: PassProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= (interactive ? 0.1 : 5) else { return }
        lastPrint = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(progress.processed) / elapsed
        let r = progress.report
        let line = "[\(progress.flow)] \(progress.phase): \(progress.processed) records (\(Int(rate))/s) — linked \(r.linked), created \(r.created.values.reduce(0, +)), updated \(r.updated.values.reduce(0, +)), parked \(r.parked)"
        if interactive {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + line).utf8))
        } else {
            print(line)
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if interactive, lastPrint != .distantPast { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
