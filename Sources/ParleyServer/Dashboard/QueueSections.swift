import ParleyCore

/// The work queues on the overview: the conflicts inbox, ambiguous matches, parked and quarantined records, each
/// row with its actions (buttons calling the management API; parked records need none).
struct QueueSections: Sendable {
    let management: Management

    func conflicts() async throws -> String {
        let conflicts = try await management.conflicts(flow: nil, openOnly: true, limit: 100)
        var rows = ""
        for conflict in conflicts {
            guard let id = conflict.id else { continue }
            let flow = management.context.flow(named: conflict.flow)
            let leftSystem = flow?.left.system ?? "left"
            let rightSystem = flow?.right.system ?? "right"
            let url = HTML.apiPath("conflicts", String(id), "resolve")
            let winner = conflict.winner == .left ? leftSystem : rightSystem
            rows += """
                <tr id="conflict-\(id)"><td>#\(id)</td><td>\(HTML.escape(conflict.flow))</td>\
                <td><a href="\(HTML.linkPath(flow: conflict.flow, side: .left, id: conflict.leftId))">\(HTML.escape(leftSystem)) \(HTML.escape(conflict.leftId))</a> ↔ \
                \(HTML.escape(rightSystem)) \(HTML.escape(conflict.rightId))</td><td><code>\(HTML.escape(conflict.property))</code></td>\
                <td>\(HTML.value(conflict.leftValue))</td><td>\(HTML.value(conflict.rightValue))</td>\
                <td>\(HTML.escape(winner)) <span class="muted">(\(HTML.escape(conflict.rule.rawValue)))</span><br>\(HTML.time(conflict.atMillis))</td>\
                <td><div class="resolve">\
                <button type="button" data-action="resolve" data-url="\(url)" data-body="\(HTML.body(["choice": "left"]))">Keep \(HTML.escape(leftSystem))</button>\
                <button type="button" data-action="resolve" data-url="\(url)" data-body="\(HTML.body(["choice": "right"]))">Keep \(HTML.escape(rightSystem))</button>\
                <input type="text" id="custom-\(id)" placeholder="other value" aria-label="Custom value for conflict \(id)">\
                <button type="button" class="secondary" data-action="custom" data-url="\(url)" data-input="custom-\(id)">Use</button>\
                </div></td></tr>
                """
        }
        let table =
            rows.isEmpty
            ? "<p class=\"muted\">No open conflicts.</p>"
            : """
            <table><thead><tr><th>#</th><th>flow</th><th>records</th><th>property</th><th>left value</th><th>right value</th>\
            <th>won</th><th>resolve: write to both systems</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        return "<section class=\"card\" id=\"conflicts\"><h2>Conflicts inbox</h2>\(table)</section>"
    }

    func ambiguous() async throws -> String {
        let records = try await management.ambiguous(flow: nil, limit: 100)
        var rows = ""
        for record in records {
            let flow = management.context.flow(named: record.flow)
            let system = flow?.datatype(on: record.side).system ?? record.side.rawValue
            let otherSystem = flow?.datatype(on: record.side.other).system ?? record.side.other.rawValue
            let linkURL = HTML.apiPath("flows", record.flow, "ambiguous", record.side.rawValue, record.id, "link")
            let buttons = record.related.map { candidate in
                "<button type=\"button\" data-action=\"link\" data-url=\"\(linkURL)\" data-body=\"\(HTML.body(["otherId": .string(candidate)]))\">"
                    + "Link with \(HTML.escape(otherSystem)) \(HTML.escape(candidate))</button>"
            }.joined(separator: " ")
            let dismissURL = HTML.apiPath("flows", record.flow, "ambiguous", record.side.rawValue, record.id, "dismiss")
            rows += """
                <tr><td>\(HTML.escape(record.flow))</td><td>\(HTML.escape(system)) \(HTML.escape(record.id))</td>\
                <td>\(HTML.escape(record.reason ?? ""))</td><td><div class="resolve">\(buttons)\
                <button type="button" class="secondary" data-action="dismiss" data-url="\(dismissURL)">Dismiss</button></div></td></tr>
                """
        }
        let table =
            rows.isEmpty
            ? "<p class=\"muted\">No ambiguous matches.</p>"
            : "<table><thead><tr><th>flow</th><th>record</th><th>why</th><th>link with a candidate, or dismiss</th></tr></thead><tbody>\(rows)</tbody></table>"
        return "<section class=\"card\" id=\"ambiguous\"><h2>Ambiguous matches</h2>\(table)</section>"
    }

    func parked() async throws -> String {
        let records = try await management.parked(flow: nil, limit: 100)
        let rows = records.map { record in
            let system = management.context.flow(named: record.flow)?.datatype(on: record.side).system ?? record.side.rawValue
            return "<tr><td>\(HTML.escape(record.flow))</td><td>\(HTML.escape(system)) \(HTML.escape(record.id))</td>"
                + "<td>\(HTML.escape(record.reason ?? ""))</td></tr>"
        }.joined()
        let table =
            rows.isEmpty
            ? "<p class=\"muted\">Nothing parked.</p>"
            : "<table><thead><tr><th>flow</th><th>record</th><th>waiting on</th></tr></thead><tbody>\(rows)</tbody></table>"
        return "<section class=\"card\" id=\"parked\"><h2>Parked <span class=\"muted\">(resume by themselves)</span></h2>\(table)</section>"
    }

    func quarantine() async throws -> String {
        let entries = try await management.quarantined(flow: nil, limit: 100)
        var rows = ""
        for entry in entries {
            let system = management.context.flow(named: entry.flow)?.datatype(on: entry.side).system ?? entry.side.rawValue
            let url = HTML.apiPath("flows", entry.flow, "quarantine", entry.side.rawValue, entry.id, "retry")
            rows += """
                <tr><td>\(HTML.escape(entry.flow))</td><td>\(HTML.escape(system)) \(HTML.escape(entry.id))</td>\
                <td>\(HTML.escape(entry.reason))</td><td class="num">\(entry.attempts)</td><td>\(HTML.time(entry.atMillis))</td>\
                <td><button type="button" data-action="retry" data-url="\(url)">Retry</button></td></tr>
                """
        }
        let table =
            rows.isEmpty
            ? "<p class=\"muted\">Nothing quarantined.</p>"
            : """
            <table><thead><tr><th>flow</th><th>record</th><th>reason</th><th class="num">attempts</th><th>since</th><th></th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
        return "<section class=\"card\" id=\"quarantine\"><h2>Quarantine</h2>\(table)</section>"
    }
}
