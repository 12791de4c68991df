import Foundation
import Testing
@testable import ParleyReference

@Suite struct PMSRecordTests {
    static let options = ReferenceOptions(kind: .pms)

    static func customerBody(_ index: Int, _ changes: [(String, JSONValue)] = []) -> String {
        var body = SampleData.company(index: index).pmsCustomerBody
        for (key, value) in changes { body[key] = value }
        return JSONValue.object(body).text
    }

    @Test func createsWithUUIDsEpochMarkersAndItsOwnNormalization() async throws {
        try await withReference(Self.options) { _, client in
            let before = Timestamp.nowMilliseconds()
            let created = try await client.post("/customers", Self.customerBody(1, [
                ("display_name", .string("  Spaced Name AS ")),
                ("contact_email", .string("  Post@NordlysHandel.NO ")),
                ("country", .string("nor")),
            ]))
            #expect(created.status == 201)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(UUID(uuidString: id) != nil)
            #expect(id == id.lowercased())
            #expect(created.json["display_name"] == .string("  Spaced Name AS "))
            #expect(created.json["contact_email"] == .string("post@nordlyshandel.no"))
            #expect(created.json["country"] == .string("NOR"))
            #expect(created.json["org_no"] == .string(SampleData.company(index: 1).organizationNumber))
            #expect(created.json["erp_number"] == .null)
            #expect(created.json["archived"] == .bool(false))
            let marker = try #require(created.json["updated_at"]?.int64Value)
            #expect(marker >= before && marker <= Timestamp.nowMilliseconds())

            let upper = try await client.get("/customers/\(id.uppercased())")
            #expect(upper.status == 200)
            #expect(upper.json == created.json)

            let alpha2 = try await client.post("/customers", Self.customerBody(2, [("country", .string("NO"))]))
            #expect(alpha2.status == 422)
            #expect(alpha2.errorProperty == "country")
            #expect(alpha2.errorMessage.contains("alpha-3"))
        }
    }

    @Test func erpNumberIsUniqueOnlyWhenSet() async throws {
        try await withReference(Self.options) { _, client in
            #expect(try await client.post("/customers", Self.customerBody(1)).status == 201)
            #expect(try await client.post("/customers", Self.customerBody(2)).status == 201)
            #expect(try await client.post("/customers", Self.customerBody(3, [("erp_number", .string("C-100003"))])).status == 201)
            let clash = try await client.post("/customers", Self.customerBody(4, [("erp_number", .string("C-100003"))]))
            #expect(clash.status == 409)
            #expect(clash.errorProperty == "erp_number")
        }
    }

    @Test func projectsAndTasksValidateTheirReferences() async throws {
        try await withReference(Self.options) { _, client in
            let customer = try #require(try await client.post("/customers", Self.customerBody(5)).json["id"]?.stringValue)
            let unknown = UUID().uuidString.lowercased()
            let missing = try await client.post("/projects", #"{"code":"PMS-1","title":"Pilot","customer_id":"\#(unknown)"}"#)
            #expect(missing.status == 422)
            #expect(missing.errorProperty == "customer_id")
            #expect(missing.errorMessage.contains("customers/\(unknown)"))
            let notUUID = try await client.post("/projects", #"{"code":"PMS-1","title":"Pilot","customer_id":42}"#)
            #expect(notUUID.status == 422)
            #expect(notUUID.errorMessage.contains("UUID"))
            let badState = try await client.post("/projects", #"{"code":"PMS-1","title":"Pilot","customer_id":"\#(customer)","state":"DONE"}"#)
            #expect(badState.status == 422)
            #expect(badState.errorMessage.contains("planned, in_progress, paused, done"))
            let fractionalCents = try await client.post("/projects", #"{"code":"PMS-1","title":"Pilot","customer_id":"\#(customer)","budget_cents":12.5}"#)
            #expect(fractionalCents.status == 422)
            #expect(fractionalCents.errorProperty == "budget_cents")

            let project = try await client.post(
                "/projects",
                #"{"code":"PMS-1","title":"Pilot","customer_id":"\#(customer.uppercased())","budget_cents":1250050,"lead_email":"Kari.Hansen@Consulto.no","start_on":"2026-01-05"}"#
            )
            #expect(project.status == 201)
            #expect(project.json["customer_id"] == .string(customer))
            #expect(project.json["state"] == .string("planned"))
            #expect(project.json["lead_email"] == .string("kari.hansen@consulto.no"))
            #expect(project.json["budget_cents"] == .integer(1_250_050))
            let projectID = try #require(project.json["id"]?.stringValue)
            #expect(try await client.post("/projects", #"{"code":"PMS-1","title":"Again","customer_id":"\#(customer)"}"#).status == 409)

            let task = try await client.post("/tasks", #"{"project_id":"\#(projectID)","title":"Kick-off meeting"}"#)
            #expect(task.status == 201)
            #expect(task.json["done"] == .bool(false))
            let orphan = try await client.post("/tasks", #"{"project_id":"\#(customer)","title":"Wrong parent"}"#)
            #expect(orphan.status == 422)
            #expect(orphan.errorProperty == "project_id")
            let tasks = try await client.get("/tasks")
            #expect(tasks.json["items"]?.arrayValue?.count == 1)
        }
    }

    @Test func nestedObjectsAreNotPartOfThePMS() async throws {
        try await withReference(Self.options) { _, client in
            let nested = try await client.post("/customers", Self.customerBody(6, [("address", .object(["city": .string("Oslo")]))]))
            #expect(nested.status == 422)
            #expect(nested.errorProperty == "address")
        }
    }
}
