import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
@testable import ParleyServer
import ParleyTestSupport
import Testing

@Suite("Operator actions through the management API")
struct OperatorActionTests {
    /// Edits the same property on both sides of a linked customer and syncs: one open conflict.
    static func makeConflict(_ harness: ServerHarness, erpId: String, erpEmail: String, pmsEmail: String) async throws -> Int64 {
        let pmsId = try await harness.pmsCustomer(linkedTo: erpId)
        try await harness.sync.erpClient.patch("customers", erpId, ["email": .string(erpEmail)])
        try await harness.sync.pmsClient.patch("customers", pmsId, ["contact_email": .string(pmsEmail)])
        let sync = try await harness.post("/api/sync", ["flows": ["customers"]])
        #expect(sync.status == 200)
        #expect(sync.json?["report"]?["flows"]?.arrayValue?.first?["conflicts"] == 1)
        let conflicts = try #require(try await harness.get("/api/conflicts?flow=customers").json?["items"]?.arrayValue)
        let conflict = try #require(conflicts.first { $0["leftId"]?.stringValue == erpId })
        #expect(conflict["property"] == "email")
        #expect(conflict["resolved"] == false)
        return try #require(conflict["id"]?.int64Value)
    }

    @Test("resolving a conflict with a value of one's own writes it to both systems and closes the conflict")
    func resolveWithCustomValue() async throws {
        try await ServerHarness.with(erpSeed: 3) { harness in
            let id = try await Self.makeConflict(harness, erpId: "1", erpEmail: "erp@example.com", pmsEmail: "pms@example.com")
            let pmsId = try await harness.pmsCustomer(linkedTo: "1")
            let reply = try await harness.post("/api/conflicts/\(id)/resolve", ["choice": "custom", "value": "Operator@Example.com"])
            #expect(reply.status == 200, "\(reply.body)")
            #expect(reply.json?["conflict"]?["resolved"] == true)
            #expect(try await harness.sync.erpClient.get("customers", "1")?["email"] == "Operator@Example.com")
            // The PMS lower-cases e-mails: what it stored is its own form of the same value.
            #expect(try await harness.sync.pmsClient.get("customers", pmsId)?["contact_email"] == "operator@example.com")
            #expect(try await harness.get("/api/conflicts").json?["items"] == [])
            let history = try #require(try await harness.get("/api/flows/customers/links/erp/1/history").json?["items"]?.arrayValue)
            let notes = history.compactMap { $0["note"]?.stringValue }.filter { $0.contains("conflict #\(id)") }
            #expect(notes.count == 2)
            // Nothing left to do: both shadows hold what the systems stored.
            let quiet = try await harness.post("/api/sync")
            #expect(quiet.json?["report"]?["writes"] == 0)
            // Resolving again is refused.
            let again = try await harness.post("/api/conflicts/\(id)/resolve", ["choice": "left"])
            #expect(again.status == 409)
            #expect(again.json?["error"]?["message"]?.stringValue?.contains("already resolved") == true)
        }
    }

    @Test("resolving by keeping the losing side's value writes it to both systems")
    func resolveWithLosingSide() async throws {
        try await ServerHarness.with(erpSeed: 3) { harness in
            let id = try await Self.makeConflict(harness, erpId: "2", erpEmail: "first@example.com", pmsEmail: "second@example.com")
            let conflict = try #require(try await harness.get("/api/conflicts").json?["items"]?.arrayValue?.first)
            let loser = conflict["winner"] == "left" ? "right" : "left"
            let losingValue = try #require(conflict[loser == "left" ? "leftValue" : "rightValue"]?.stringValue)
            let reply = try await harness.post("/api/conflicts/\(id)/resolve", ["choice": .string(loser)])
            #expect(reply.status == 200, "\(reply.body)")
            let pmsId = try await harness.pmsCustomer(linkedTo: "2")
            #expect(try await harness.sync.erpClient.get("customers", "2")?["email"]?.stringValue == losingValue)
            #expect(try await harness.sync.pmsClient.get("customers", pmsId)?["contact_email"]?.stringValue == losingValue)
            #expect(try await harness.post("/api/conflicts/999999/resolve", ["choice": "left"]).status == 404)
            #expect(try await harness.post("/api/conflicts/\(id)/resolve", ["choice": "both"]).status == 422)
        }
    }

    @Test("an ambiguous match is linked by hand to the chosen candidate, another one dismissed")
    func ambiguousLinkAndDismiss() async throws {
        let company = SampleData.company(index: 0)
        try await ServerHarness.with(erpSeed: 2, pmsSeed: 2, before: { sync in
            // ERP: companies 0 and 1, plus a second customer with company 0's org number; PMS: companies 0 and 1.
            try await sync.erpClient.create("customers", [
                "customerNumber": "DUP-0", "name": .string(company.name + " (duplicate)"), "organizationNumber": .string(company.organizationNumber),
            ])
        }) { harness in
            let ambiguous = try #require(try await harness.get("/api/ambiguous").json?["items"]?.arrayValue)
            // The PMS customer matches two ERP customers, and each of those matches a PMS customer that is not theirs alone.
            #expect(ambiguous.count == 3)
            let first = try #require(ambiguous.first { $0["side"] == "right" })
            #expect(first["reason"]?.stringValue?.contains("matches 2") == true)
            let pmsId = try #require(first["id"]?.stringValue)
            let candidates = (first["candidates"]?.arrayValue ?? []).compactMap { $0.stringValue }
            #expect(candidates.count == 2)
            let chosen = candidates[1]
            let reply = try await harness.post("/api/flows/customers/ambiguous/pms/\(pmsId)/link", ["otherId": .string(chosen)])
            #expect(reply.status == 200, "\(reply.body)")
            let link = try #require(try await harness.sync.store.links(flow: "customers", side: .right, ids: [pmsId])[pmsId])
            #expect(link.leftId == chosen)
            let history = try #require(try await harness.get("/api/flows/customers/links/pms/\(pmsId)/history").json?["items"]?.arrayValue)
            #expect(history.contains { $0["action"] == "linked" && $0["note"] == "linked manually by an operator" })
            // Linking it again is refused.
            #expect(try await harness.post("/api/flows/customers/ambiguous/pms/\(pmsId)/link", ["otherId": .string(candidates[0])]).status == 409)

            let remaining = try #require(try await harness.get("/api/ambiguous").json?["items"]?.arrayValue)
            #expect(remaining.count == 1)
            let second = try #require(remaining.first)
            let secondId = try #require(second["id"]?.stringValue)
            let side = try #require(second["side"]?.stringValue)
            #expect(try await harness.post("/api/flows/customers/ambiguous/\(side)/\(secondId)/dismiss").status == 200)
            #expect(try await harness.get("/api/ambiguous").json?["items"]?.arrayValue?.contains { $0["id"]?.stringValue == secondId } == false)
            #expect(try await harness.post("/api/flows/customers/ambiguous/\(side)/\(secondId)/dismiss").status == 404)
        }
    }

    @Test("a project whose customer is held as ambiguous is listed as parked, with what it waits on, in the API and on the dashboard")
    func parkedList() async throws {
        try await ServerHarness.with(erpSeed: 0, pmsSeed: 0, before: { sync in
            // Two ERP customers share the PMS customer's organization number: it is held, and its project waits.
            for n in 0..<2 {
                try await sync.erpClient.create("customers", ["customerNumber": .string("TWIN-\(n)"), "name": .string("Twin \(n) AS"), "organizationNumber": "111222333"])
            }
            let customer = try await sync.pmsClient.create("customers", ["display_name": "Twin AS", "org_no": "111222333"])
            let customerId = try #require(SystemClient.id(customer))
            try await sync.pmsClient.create("projects", ["code": "WAIT-1", "title": "Waits", "customer_id": .string(customerId)])
        }) { harness in
            let customerId = try #require(try await harness.sync.pmsClient.all("customers").first.flatMap(SystemClient.id))
            let projectId = try #require(try await harness.sync.pmsClient.all("projects").first.flatMap(SystemClient.id))
            let parked = try #require(try await harness.get("/api/parked").json?["items"]?.arrayValue)
            #expect(parked.count == 1)
            let item = try #require(parked.first)
            #expect(item["flow"] == "projects")
            #expect(item["system"] == "pms")
            #expect(item["id"]?.stringValue == projectId)
            #expect(item["waitingOn"]?.stringValue == "customers:\(customerId)")
            #expect(item["reason"]?.stringValue?.hasPrefix("waiting on customers") == true)
            #expect(try await harness.get("/api/parked?flow=customers").json?["items"] == [])
            #expect(try await harness.get("/api/parked?flow=nope").status == 404)

            let form = "token=" + FormDecoding.encode(try #require(harness.token))
            let login = try await harness.request(.POST, "/login", auth: .none, body: Array(form.utf8))
            let cookie = String(try #require(login.headers.first(name: "Set-Cookie")).prefix { $0 != ";" })
            let overview = try await harness.get("/", auth: .cookie(cookie, dashboardHeader: false)).body
            #expect(overview.contains("<section class=\"card\" id=\"parked\">"))
            #expect(overview.contains("<td>pms \(projectId)</td><td>waiting on customers"))
        }
    }

    @Test("a record's status says what Parley holds for it and why it waits: linked, ambiguous, parked, never seen")
    func recordStatus() async throws {
        try await ServerHarness.with(erpSeed: 0, pmsSeed: 0, before: { sync in
            for n in 0..<2 {
                try await sync.erpClient.create("customers", ["customerNumber": .string("TWIN-\(n)"), "name": .string("Twin \(n) AS"), "organizationNumber": "111222333"])
            }
            try await sync.erpClient.create("customers", ["customerNumber": "SOLO-1", "name": "Solo AS", "organizationNumber": "444555666"])
            let customer = try await sync.pmsClient.create("customers", ["display_name": "Twin AS", "org_no": "111222333"])
            let customerId = try #require(SystemClient.id(customer))
            try await sync.pmsClient.create("projects", ["code": "WAIT-1", "title": "Waits", "customer_id": .string(customerId)])
        }) { harness in
            let erp = try await harness.sync.erpClient.all("customers")
            let soloId = try #require(erp.first { $0["customerNumber"] == "SOLO-1" }.flatMap(SystemClient.id))
            let twinId = try #require(erp.first { $0["customerNumber"] == "TWIN-0" }.flatMap(SystemClient.id))
            let projectId = try #require(try await harness.sync.pmsClient.all("projects").first.flatMap(SystemClient.id))
            let twinCustomerId = try #require(try await harness.sync.pmsClient.all("customers").first { $0["org_no"] == "111222333" }.flatMap(SystemClient.id))

            let solo = try #require(try await harness.get("/api/flows/customers/records/erp/\(soloId)").json)
            let soloLink = try #require(try await harness.sync.store.links(flow: "customers", side: .left, ids: [soloId])[soloId])
            let soloPMS = try #require(soloLink.rightId)
            #expect(solo["status"] == "linked")
            #expect(solo["summary"]?.stringValue == "linked to pms.customer \(soloPMS)")
            #expect(solo["link"]?["rightId"]?.stringValue == soloPMS)
            #expect(solo["staged"] == .null)
            #expect(solo["quarantine"] == .null)
            #expect(solo["history"]?.arrayValue?.first?["action"] == "created")

            let twin = try #require(try await harness.get("/api/flows/customers/records/left/\(twinId)").json)
            #expect(twin["status"] == "ambiguous")
            #expect(twin["link"] == .null)
            #expect(twin["staged"]?["state"] == "ambiguous")
            #expect(twin["staged"]?["related"] == [.string(twinCustomerId)])
            #expect(twin["summary"]?.stringValue?.hasSuffix(" — held for a person: link it by hand or dismiss it") == true)

            let project = try #require(try await harness.get("/api/flows/projects/records/pms/\(projectId)").json)
            #expect(project["status"] == "parked")
            #expect(project["staged"]?["related"] == [.string("customers:\(twinCustomerId)")])
            #expect(project["summary"]?.stringValue?.hasPrefix("waiting on customers") == true)

            let unseen = try #require(try await harness.get("/api/flows/customers/records/erp/no-such-id").json)
            #expect(unseen["status"] == "unseen")
            #expect(unseen["summary"]?.stringValue == "Parley holds nothing for erp.customer no-such-id in flow 'customers': not read yet (the next pass or a webhook brings it), or not a record of this datatype")
            #expect(try await harness.get("/api/flows/nope/records/erp/1").status == 404)
            #expect(try await harness.get("/api/flows/customers/records/crm/1").status == 404)

            // The dashboard: the record's page says the same for a record that is not linked, and a search for its
            // id, which no link holds, leads there.
            let form = "token=" + FormDecoding.encode(try #require(harness.token))
            let login = try await harness.request(.POST, "/login", auth: .none, body: Array(form.utf8))
            let cookie = String(try #require(login.headers.first(name: "Set-Cookie")).prefix { $0 != ";" })
            let page = try await harness.get("/links/customers/left/\(twinId)", auth: .cookie(cookie, dashboardHeader: false))
            #expect(page.status == 200)
            #expect(page.body.contains("<h2>Status: <span class=\"pill\">ambiguous</span></h2>"))
            #expect(page.body.contains("held for a person: link it by hand or dismiss it</p>"))
            let linked = try await harness.get("/links/customers/left/\(soloId)", auth: .cookie(cookie, dashboardHeader: false)).body
            #expect(linked.contains("<h2>Status: <span class=\"pill\">linked</span></h2><p>linked to pms.customer \(soloPMS)</p>"))
            let search = try await harness.get("/links?flow=customers&q=\(twinId)", auth: .cookie(cookie, dashboardHeader: false)).body
            #expect(search.contains("<a href=\"/links/customers/left/\(twinId)\">status of erp.customer \(twinId)</a>"))
        }
    }

    @Test("deletes the circuit breaker holds are applied by a pass an operator runs with allowMassDeletes")
    func syncAllowingMassDeletes() async throws {
        try await ServerHarness.with(before: { sync in
            for index in 0..<40 {
                try await sync.erpClient.create("customers", ["customerNumber": .string("C-M\(index)"), "name": .string("Mass \(index) AS")])
            }
        }) { harness in
            #expect(try await harness.post("/api/sync", ["flows": ["customers"]]).status == 200)
            for id in try await harness.sync.erpClient.all("customers").compactMap(SystemClient.id).prefix(30) {
                try await harness.sync.erpClient.delete("customers", id)
            }
            let held = try #require(try await harness.post("/api/sync", ["flows": ["customers"]]).json?["report"])
            #expect(held["errors"]?.arrayValue?.first?.stringValue?.contains("circuit breaker tripped") == true)
            #expect(held["flows"]?.arrayValue?.first?["archived"] == ["left": 0, "right": 0])
            #expect(try await harness.post("/api/sync", ["allowMassDeletes": "yes"]).status == 422)
            // The dashboard shows the 30 waiting deletes with a button that confirms them.
            let form = "token=" + FormDecoding.encode(try #require(harness.token))
            let login = try await harness.request(.POST, "/login", auth: .none, body: Array(form.utf8))
            let cookie = String(try #require(login.headers.first(name: "Set-Cookie")).prefix { $0 != ";" })
            let overview = try await harness.get("/", auth: .cookie(cookie, dashboardHeader: false)).body
            #expect(overview.contains("<td class=\"num\">30 <button type=\"button\" class=\"secondary\" data-action=\"confirm-deletes\" data-url=\"/api/sync\""))
            let confirmed = try #require(try await harness.post("/api/sync", ["flows": ["customers"], "allowMassDeletes": true]).json?["report"])
            #expect(confirmed["errors"] == [])
            #expect(confirmed["flows"]?.arrayValue?.first?["archived"] == ["left": 0, "right": 30])
            // The server's own passes do not confirm anything: the next one, with the same engine, is quiet.
            #expect(try #require(try await harness.post("/api/sync").json?["report"])["errors"] == [])
        }
    }

    @Test("a quarantined record is retried after it was fixed, and stays quarantined while it is not")
    func retryQuarantined() async throws {
        try await ServerHarness.with(pmsSeed: 2, before: { sync in
            let customers = try await sync.pmsClient.all("customers")
            let customerId = try #require(customers.first.flatMap(SystemClient.id))
            try await sync.pmsClient.create("projects", [
                "code": "BAD-1", "title": "Backwards", "customer_id": .string(customerId), "start_on": "2026-05-01", "due_on": "2026-01-01",
            ])
        }) { harness in
            let entries = try #require(try await harness.get("/api/quarantine").json?["items"]?.arrayValue)
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            let id = try #require(entry["id"]?.stringValue)
            #expect(entry["system"] == "pms")
            #expect(entry["reason"]?.stringValue?.contains("endDate") == true)

            let still = try await harness.post("/api/flows/projects/quarantine/right/\(id)/retry")
            #expect(still.status == 200)
            #expect(still.json?["quarantined"] == true)
            #expect(still.json?["reason"]?.stringValue?.contains("endDate") == true)
            #expect(try await harness.get("/api/quarantine").json?["items"]?.arrayValue?.count == 1)

            try await harness.sync.pmsClient.patch("projects", id, ["due_on": "2026-12-31"])
            let fixed = try await harness.post("/api/flows/projects/quarantine/right/\(id)/retry")
            #expect(fixed.status == 200, "\(fixed.body)")
            #expect(fixed.json?["quarantined"] == false)
            #expect(fixed.json?["report"]?["created"]?["left"] == 1)
            #expect(try await harness.get("/api/quarantine").json?["items"] == [])
            let link = try await harness.sync.store.links(flow: "projects", side: .right, ids: [id])[id]
            #expect(link?.state == .linked)
        }
    }

    @Test("a dry-run plan lists what a pass would write and writes nothing")
    func dryRunPlan() async throws {
        try await ServerHarness.with(erpSeed: 2) { harness in
            try await harness.sync.erpClient.patch("customers", "1", ["name": "Planned Name AS"])
            let plan = try await harness.post("/api/plan", ["flows": ["customers"]])
            #expect(plan.status == 200, "\(plan.body)")
            let entries = try #require(plan.json?["report"]?["flows"]?.arrayValue?.first?["plan"]?.arrayValue)
            #expect(entries.contains { $0["action"] == "update" && $0["side"] == "right" && $0["detail"]?.stringValue?.contains("Planned Name AS") == true })
            let pmsId = try await harness.pmsCustomer(linkedTo: "1")
            #expect(try await harness.sync.pmsClient.get("customers", pmsId)?["display_name"] != "Planned Name AS")
            #expect(try await harness.post("/api/plan", ["flows": ["nope"]]).status == 404)
            let sync = try await harness.post("/api/sync", ["flows": ["customers"]])
            #expect(sync.json?["report"]?["flows"]?.arrayValue?.first?["updated"]?["right"] == 1)
            #expect(try await harness.sync.pmsClient.get("customers", pmsId)?["display_name"] == "Planned Name AS")
        }
    }
}
