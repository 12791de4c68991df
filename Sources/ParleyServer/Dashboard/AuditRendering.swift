import ParleyCore

/// One audit entry as a timeline item: when, what, on which system, why, and each property's before → after.
enum AuditRendering {
    static func item(_ entry: AuditEntry, flow: FlowDefinition?, linkToHistory: Bool) -> String {
        let system = flow?.datatype(on: entry.target).system ?? entry.target.rawValue
        let left = flow?.left.system ?? "left"
        let right = flow?.right.system ?? "right"
        var records = [entry.leftId.map { "\(left) \($0)" }, entry.rightId.map { "\(right) \($0)" }].compactMap { $0 }.joined(separator: " ↔ ")
        records = HTML.escape(records)
        if linkToHistory {
            if let id = entry.leftId {
                records = "<a href=\"\(HTML.linkPath(flow: entry.flow, side: .left, id: id))\">\(records)</a>"
            } else if let id = entry.rightId {
                records = "<a href=\"\(HTML.linkPath(flow: entry.flow, side: .right, id: id))\">\(records)</a>"
            }
        }
        var changes = ""
        if !entry.changes.isEmpty {
            let rows = entry.changes.map { change in
                "<tr><td><code>\(HTML.escape(change.property))</code></td><td>\(HTML.value(change.before))</td><td>→</td>"
                    + "<td>\(HTML.value(change.after))</td><td class=\"muted\">\(HTML.escape(change.reason.rawValue))</td></tr>"
            }.joined()
            changes = "<table class=\"changes\">\(rows)</table>"
        }
        let note = entry.note.map { " — \(HTML.escape($0))" } ?? ""
        return """
            <li class="\(entry.action.rawValue)">\(HTML.time(entry.atMillis)) <strong>\(entry.action.rawValue)</strong> on \
            <strong>\(HTML.escape(system))</strong> · \(HTML.escape(entry.flow)) \(records)\(note)\(changes)</li>
            """
    }
}
