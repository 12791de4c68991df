import Foundation
import ParleyCore
import ParleyEngine
@testable import ParleyServer
import ParleyTestSupport
import Testing

@Suite("The dashboard in a headless browser")
struct DashboardBrowserTests {
    @Test(
        "shows flows with counts, the open conflict and a link's history; resolving the conflict through the API changes both systems",
        .enabled(if: Browser.path != nil || Browser.required, "Chromium is not installed (scripts/ensure-chromium.sh installs it)"))
    func dashboardInABrowser() async throws {
        try await ServerHarness.with(erpSeed: 3, pmsSeed: 2, pmsSeedOffset: 1) { harness in
            let token = try #require(harness.token)
            let conflictId = try await OperatorActionTests.makeConflict(
                harness, erpId: "1", erpEmail: "erp-wins@example.com", pmsEmail: "pms-wins@example.com")
            let pmsId = try await harness.pmsCustomer(linkedTo: "2")
            try await harness.sync.erpClient.patch("customers", "2", ["phone": "+47 900 11 222"])
            #expect(try await harness.post("/api/sync").status == 200)

            let login = "\(harness.baseURL)/login?token=\(FormDecoding.encode(token))&next="
            let overview = try await Browser.dumpDOM(login + FormDecoding.encode("/"))
            #expect(overview.contains("<title>Overview · Parley</title>"))
            // Flows and their counts.
            for flow in harness.sync.flows {
                let counts = try await harness.sync.store.counts(flow: flow.name)
                #expect(overview.contains(">\(flow.name)</a></td><td>\(flow.left.description) ↔ \(flow.right.description)</td><td class=\"num\">\(counts.linked)</td>"))
                #expect(overview.contains("\(flow.name): \(counts.linked) linked"), "the diagram labels \(flow.name)")
            }
            // The open conflict with both values and its resolve buttons.
            #expect(overview.contains("<tr id=\"conflict-\(conflictId)\">"))
            #expect(overview.contains("<code>erp-wins@example.com</code>"))
            #expect(overview.contains("<code>pms-wins@example.com</code>"))
            #expect(overview.contains(">Keep erp</button>") && overview.contains(">Keep pms</button>"))
            #expect(overview.contains("<svg"))

            // A link's history: which write changed the phone number, and why.
            let history = try await Browser.dumpDOM(login + FormDecoding.encode("/links/customers/left/2"))
            #expect(history.contains("History: why did this field change?"))
            #expect(history.contains("customers: erp 2 ↔ pms \(pmsId)"))
            #expect(history.contains("<code>phone</code>"))
            #expect(history.contains("<code>+47 900 11 222</code>"))
            #expect(history.contains("changed on erp.customer"))

            // A screenshot for people (docs/screenshots/dashboard.png is refreshed with PARLEY_UPDATE_SCREENSHOTS=1).
            let screenshot = harness.sync.folder + "/dashboard.png"
            try await Browser.screenshot(login + FormDecoding.encode("/"), to: screenshot)
            let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            if ProcessInfo.processInfo.environment["PARLEY_UPDATE_SCREENSHOTS"] == "1" {
                let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                let target = root.appendingPathComponent("docs/screenshots/dashboard.png")
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: URL(fileURLWithPath: screenshot), to: target)
            }

            // Resolving the conflict in favour of the value that lost writes it to both systems; it leaves the inbox.
            let conflicts = try #require(try await harness.get("/api/conflicts").json?["items"]?.arrayValue)
            let conflict = try #require(conflicts.first { $0["id"]?.int64Value == conflictId })
            let loser = conflict["winner"] == "left" ? "right" : "left"
            let losingValue = try #require(conflict[loser + "Value"]?.stringValue)
            let pmsOfOne = try await harness.pmsCustomer(linkedTo: "1")
            #expect(try await harness.sync.erpClient.get("customers", "1")?["email"]?.stringValue != losingValue)
            #expect(try await harness.sync.pmsClient.get("customers", pmsOfOne)?["contact_email"]?.stringValue != losingValue)
            let resolved = try await harness.post("/api/conflicts/\(conflictId)/resolve", ["choice": .string(loser)])
            #expect(resolved.status == 200, "\(resolved.body)")
            #expect(resolved.json?["report"]?["writes"] == 2)
            #expect(try await harness.sync.erpClient.get("customers", "1")?["email"]?.stringValue == losingValue)
            #expect(try await harness.sync.pmsClient.get("customers", pmsOfOne)?["contact_email"]?.stringValue == losingValue)
            let after = try await Browser.dumpDOM(login + FormDecoding.encode("/"))
            #expect(after.contains("<h2>Conflicts inbox</h2>"))
            #expect(!after.contains("<tr id=\"conflict-\(conflictId)\">"))
        }
    }
}
