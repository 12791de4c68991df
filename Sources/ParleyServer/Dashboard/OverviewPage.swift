import ParleyCore
import ParleyEngine

/// `/`: systems, the dataflow diagram, flows with counts and lag, the latest passes, then the queues a
/// person works through (conflicts, ambiguous matches, quarantine) and recent activity.
struct OverviewPage: Sendable {
    let management: Management

    func render(nonce: String, authenticated: Bool) async throws -> String {
        let overviews = try await management.overviews(withLag: true)
        let registrations = await management.state.registrations
        let passes = await management.state.lastPasses
        let queues = QueueSections(management: management)
        var body = "<h1>Overview</h1>"
        body += systems(registrations)
        body += "<section class=\"card diagram\" id=\"diagram\"><h2>Dataflow</h2>\(FlowDiagram.svg(overviews, systems: management.context.systems))</section>"
        body += flows(overviews)
        body += self.passes(passes)
        body += try await queues.conflicts()
        body += try await queues.ambiguous()
        body += try await queues.parked()
        body += try await queues.quarantine()
        body += try await activity()
        return HTML.page(title: "Overview", nonce: nonce, authenticated: authenticated, body: body)
    }

    func systems(_ registrations: [String: ServerState.Registration]) -> String {
        var cards = ""
        for system in management.context.systems {
            let registration = registrations[system.name] ?? .disabled
            let pill: String
            switch registration {
            case .registered: pill = "<span class=\"pill ok\">webhooks registered</span>"
            case .pending: pill = "<span class=\"pill warn\">webhooks pending</span>"
            case .failed(let message): pill = "<span class=\"pill bad\" title=\"\(HTML.escape(message))\">webhooks failing</span>"
            case .disabled: pill = "<span class=\"pill\">polling only</span>"
            }
            cards += """
                <div class="system"><h3>\(HTML.escape(system.title)) <span class="muted">(\(HTML.escape(system.name)))</span></h3>\
                <div class="muted">\(HTML.escape(system.url))</div><div>\(pill)</div></div>
                """
        }
        let interval = management.context.pollIntervalMillis
        return """
            <section class="card" id="systems"><h2>Systems</h2><div class="systems">\(cards)</div>\
            <p class="muted">Polling every \(interval >= 1000 ? "\(interval / 1000) s" : "\(interval) ms") as the safety net.</p></section>
            """
    }

    func flows(_ overviews: [FlowOverview]) -> String {
        var rows = ""
        for overview in overviews {
            let flow = overview.flow
            let counts = overview.counts
            let lag = Side.allCases.map { side -> String in
                let system = HTML.escape(flow.datatype(on: side).system)
                guard let pending = overview.lag[side] ?? nil else { return "\(system) <span class=\"pill bad\">unreachable</span>" }
                let text = "\(pending.count)\(pending.more ? "+" : "")"
                return "\(system) <span class=\"pill \(pending.count == 0 ? "ok" : "warn")\">\(text)</span>"
            }.joined(separator: " ")
            rows += """
                <tr><td><a href="/links?flow=\(FormDecoding.encode(flow.name))">\(HTML.escape(flow.name))</a></td>\
                <td>\(HTML.escape(flow.left.description)) ↔ \(HTML.escape(flow.right.description))</td>\
                <td class="num">\(counts.linked)</td><td class="num">\(counts.pending)</td><td class="num">\(counts.unmatched)</td>\
                <td class="num">\(counts.ambiguous)</td><td class="num">\(counts.parked)</td><td class="num">\(counts.excluded)</td>\
                <td class="num">\(counts.quarantined)</td>\
                <td class="num">\(counts.openConflicts) / \(counts.conflicts)</td><td class="num">\(heldDeletes(flow, counts.pendingDeletes))</td><td>\(lag)</td></tr>
                """
        }
        return """
            <section class="card" id="flows"><h2>Flows</h2><table><thead><tr><th>flow</th><th>datatypes</th><th class="num">linked</th>\
            <th class="num">pending</th><th class="num">unmatched</th><th class="num">ambiguous</th><th class="num">parked</th>\
            <th class="num" title="existed in a new-only system before Parley first read it">excluded</th><th class="num">quarantined</th><th class="num">conflicts open / all</th>\
            <th class="num" title="deletes waiting: held by the circuit breaker, or the other system unavailable">deletes waiting</th><th>lag (changes not read yet)</th></tr></thead>\
            <tbody>\(rows)</tbody></table></section>
            """
    }

    /// The count of a flow's waiting deletes, and a button that applies them past the circuit breaker (after a
    /// confirmation: the other system's records are archived or deleted).
    func heldDeletes(_ flow: FlowDefinition, _ count: Int) -> String {
        guard count > 0 else { return "0" }
        let body: JSONValue = ["flows": [.string(flow.name)], "allowMassDeletes": true]
        let question = "Apply the \(count) deletes waiting in flow \(flow.name)? Their counterparts are archived or deleted per the flow's policy. Check the source system first."
        return "\(count) <button type=\"button\" class=\"secondary\" data-action=\"confirm-deletes\" data-url=\"/api/sync\" data-body=\"\(HTML.body(body))\" "
            + "data-confirm=\"\(HTML.escape(question))\">Apply</button>"
    }

    func passes(_ passes: [CompletedPass.Kind: ServerState.PassSummary]) -> String {
        var rows = ""
        for kind in [CompletedPass.Kind.scheduled, .webhook, .manual] {
            guard let pass = passes[kind] else {
                rows += "<tr><td>\(kind.rawValue)</td><td colspan=\"4\" class=\"muted\">none yet</td></tr>"
                continue
            }
            let errors = pass.errors.isEmpty ? "<span class=\"pill ok\">none</span>" : "<span class=\"pill bad\">\(HTML.escape(pass.errors.joined(separator: "; ")))</span>"
            rows += """
                <tr><td>\(kind.rawValue)</td><td>\(HTML.time(pass.finishedAtMillis))</td><td class="num">\(pass.durationMillis) ms</td>\
                <td class="num">\(pass.writes)</td><td>\(errors)</td></tr>
                """
        }
        return """
            <section class="card" id="passes"><h2>Latest passes</h2><table><thead><tr><th>kind</th><th>finished</th>\
            <th class="num">took</th><th class="num">writes</th><th>errors</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }

    func activity() async throws -> String {
        let entries = try await management.activity(flow: nil, limit: 25)
        let items = entries.map { AuditRendering.item($0, flow: management.context.flow(named: $0.flow), linkToHistory: true) }.joined()
        let list = items.isEmpty ? "<p class=\"muted\">Nothing written yet.</p>" : "<ul class=\"timeline\">\(items)</ul>"
        return "<section class=\"card\" id=\"activity\"><h2>Recent activity</h2>\(list)</section>"
    }
}
