import Testing
@testable import ParleyReference

@Suite struct SchemaTests {
    static func property(_ schema: JSONValue, _ collection: String, _ name: String) -> JSONValue? {
        schema["datatypes"]?.arrayValue?.first { $0["collection"] == .string(collection) }?["properties"]?.arrayValue?
            .first { $0["name"] == .string(name) }
    }

    @Test func erpDescribesItsDatatypes() async throws {
        try await withReference(ReferenceOptions(kind: .erp)) { _, client in
            let schema = try await client.get("/schema").json
            #expect(schema["system"] == .string("Custom ERP"))
            #expect(schema["name"] == .string("erp"))
            #expect(schema["contractVersion"] == .string("1"))
            let customer = try #require(schema["datatypes"]?.arrayValue?.first)
            #expect(customer["name"] == .string("customer"))
            #expect(customer["idType"] == .string("integer"))
            #expect(customer["changeMarker"] == .string("lastModified"))
            #expect(customer["changeMarkerType"] == .string("datetime"))
            #expect(Self.property(schema, "customers", "address.city") == .object([
                "name": .string("address.city"), "type": .string("string"),
                "required": .bool(false), "readOnly": .bool(false), "unique": .bool(false),
            ]))
            #expect(Self.property(schema, "customers", "id")?["readOnly"] == .bool(true))
            #expect(Self.property(schema, "customers", "lastModified")?["readOnly"] == .bool(true))
            #expect(Self.property(schema, "customers", "customerNumber")?["unique"] == .bool(true))
            #expect(Self.property(schema, "projects", "customerId")?["references"] == .string("customer"))
            #expect(Self.property(schema, "projects", "customerId")?["type"] == .string("reference"))
            #expect(Self.property(schema, "projects", "status")?["values"] == .array(["PLANNED", "ACTIVE", "ON_HOLD", "COMPLETED"].map(JSONValue.string)))
            #expect(Self.property(schema, "projects", "budget")?["type"] == .string("decimal"))
            #expect(Self.property(schema, "projects", "startDate")?["type"] == .string("date"))
        }
    }

    @Test func pmsDescribesItsDatatypes() async throws {
        try await withReference(ReferenceOptions(kind: .pms)) { _, client in
            let schema = try await client.get("/schema").json
            #expect(schema["system"] == .string("Custom PMS"))
            #expect(schema["datatypes"]?.arrayValue?.compactMap { $0["collection"]?.stringValue } == ["customers", "projects", "tasks"])
            let customer = try #require(schema["datatypes"]?.arrayValue?.first)
            #expect(customer["idType"] == .string("string"))
            #expect(customer["changeMarker"] == .string("updated_at"))
            #expect(customer["changeMarkerType"] == .string("integer"))
            #expect(Self.property(schema, "projects", "budget_cents")?["type"] == .string("integer"))
            #expect(Self.property(schema, "projects", "state")?["values"] == .array(["planned", "in_progress", "paused", "done"].map(JSONValue.string)))
            #expect(Self.property(schema, "tasks", "project_id")?["references"] == .string("project"))
        }
    }
}
