import ParleyCore

/// `/links`: search links by record id or merge-key value; `/links/{flow}/{side}/{id}`: one record's status
/// and, when it is linked, its values on both sides and its history — the answers to "why did this field
/// change?" and "why has this record not synced?".
struct LinkPages: Sendable {
    let management: Management

    func browser(flow name: String?, query: String?, nonce: String, authenticated: Bool) async throws -> String {
        let flows = management.context.flows
        guard let flow = try name.map({ try management.flow(named: $0) }) ?? flows.first else {
            return HTML.page(title: "Links", nonce: nonce, authenticated: authenticated, body: "<h1>Links</h1><p>No flows configured.</p>")
        }
        let options = flows.map {
            "<option value=\"\(HTML.escape($0.name))\"\($0.name == flow.name ? " selected" : "")>\(HTML.escape($0.name))</option>"
        }.joined()
        let links = try await management.links(flow: flow, query: query, limit: 100)
        var rows = ""
        for link in links {
            let side: Side = link.leftId == nil ? .right : .left
            let id = link.id(on: side) ?? ""
            rows += """
                <tr><td><a href="\(HTML.linkPath(flow: flow.name, side: side, id: id))">\(HTML.escape(link.leftId ?? "–"))</a></td>\
                <td>\(HTML.escape(link.rightId ?? "–"))</td><td><span class="pill">\(HTML.escape(link.state.rawValue))</span></td>\
                <td>\(HTML.escape(summary(link, flow: flow)))</td><td>\(HTML.time(link.updatedAtMillis))</td></tr>
                """
        }
        let query = query?.trimmingWhitespace() ?? ""
        let heading = query.isEmpty ? "Most recently changed" : "Matching '\(HTML.escape(query))'"
        // An id no link holds may still be a record Parley waits on: its status says why.
        let statusLinks = Side.allCases.map { side in
            "<a href=\"\(HTML.linkPath(flow: flow.name, side: side, id: query))\">status of \(HTML.escape(flow.datatype(on: side).description)) \(HTML.escape(query))</a>"
        }.joined(separator: " · ")
        let table =
            rows.isEmpty
            ? "<p class=\"muted\">No links found.</p>" + (query.isEmpty ? "" : "<p>\(statusLinks)</p>")
            : """
            <table><thead><tr><th>\(HTML.escape(flow.left.description))</th><th>\(HTML.escape(flow.right.description))</th><th>state</th>\
            <th>values</th><th>updated</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let body = """
            <h1>Links</h1><section class="card"><form class="inline" method="get" action="/links">\
            <select name="flow" aria-label="Flow">\(options)</select>\
            <input type="text" name="q" value="\(HTML.escape(query))" size="34" placeholder="record id, organization number, customer number…" aria-label="Search">\
            <button type="submit">Search</button></form></section>\
            <section class="card"><h2>\(heading)</h2>\(table)</section>
            """
        return HTML.page(title: "Links", nonce: nonce, authenticated: authenticated, body: body)
    }

    func detail(flow name: String, side sideText: String, id: String, nonce: String, authenticated: Bool) async throws -> String {
        let flow = try management.flow(named: name)
        let side = try management.side(sideText, of: flow)
        let status = try await management.recordStatus(flow: flow, side: side, id: id, historyLimit: 200)
        let statusCard = """
            <section class="card" id="status"><h2>Status: <span class="pill">\(HTML.escape(status.status.rawValue))</span></h2>\
            <p>\(HTML.escape(status.summary))</p></section>
            """
        let history = status.history
        let items = history.map { AuditRendering.item($0, flow: flow, linkToHistory: false) }.joined()
        guard let link = status.link else {
            let timeline = items.isEmpty ? "<p class=\"muted\">Parley has not written anything for this record.</p>" : "<ul class=\"timeline\">\(items)</ul>"
            let body = """
                <h1>\(HTML.escape(flow.name)): \(HTML.escape(flow.datatype(on: side).description)) \(HTML.escape(id))</h1>\(statusCard)\
                <section class="card" id="history"><h2>History</h2>\(timeline)</section>
                """
            return HTML.page(title: "\(flow.name) \(id)", nonce: nonce, authenticated: authenticated, body: body)
        }
        var rows = ""
        for mapping in flow.properties {
            let left = link.leftShadow[mapping.key] ?? .null
            let right = link.rightShadow[mapping.key] ?? .null
            let lastChange = history.first { entry in entry.changes.contains { $0.property == mapping.key } }
            let why = lastChange.map { entry in
                "\(entry.action.rawValue) on \(flow.datatype(on: entry.target).system)\(entry.note.map { ": \($0)" } ?? "")"
            }
            rows += """
                <tr><td><code>\(HTML.escape(mapping.left))</code> ↔ <code>\(HTML.escape(mapping.right))</code></td>\
                <td>\(HTML.value(left))</td><td>\(HTML.value(right))</td>\
                <td>\(lastChange.map { HTML.time($0.atMillis) + " " + HTML.escape(why ?? "") } ?? "<span class=\"muted\">never written by Parley</span>")</td></tr>
                """
        }
        let timeline = items.isEmpty ? "<p class=\"muted\">Parley has not written anything for this link.</p>" : "<ul class=\"timeline\">\(items)</ul>"
        let body = """
            <h1>\(HTML.escape(flow.name)): \(HTML.escape(flow.left.system)) \(HTML.escape(link.leftId ?? "–")) ↔ \
            \(HTML.escape(flow.right.system)) \(HTML.escape(link.rightId ?? "–"))</h1>\(statusCard)\
            <section class="card"><h2>Values (as each system last stored them)</h2><table><thead><tr><th>property</th>\
            <th>\(HTML.escape(flow.left.system))</th><th>\(HTML.escape(flow.right.system))</th><th>last changed by Parley</th></tr></thead>\
            <tbody>\(rows)</tbody></table><p class="muted">State: \(HTML.escape(link.state.rawValue)); updated \(HTML.time(link.updatedAtMillis)).</p></section>\
            <section class="card" id="history"><h2>History: why did this field change?</h2>\(timeline)</section>
            """
        return HTML.page(title: "\(flow.name) \(link.leftId ?? "")", nonce: nonce, authenticated: authenticated, body: body)
    }

    func summary(_ link: Link, flow: FlowDefinition) -> String {
        let shadow = link.leftShadow.isEmpty ? link.rightShadow : link.leftShadow
        return flow.properties.prefix(3).compactMap { mapping in
            guard let value = shadow[mapping.key], value != .null else { return nil }
            return value.display
        }.joined(separator: " · ")
    }
}
