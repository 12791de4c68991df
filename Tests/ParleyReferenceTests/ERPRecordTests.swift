import Testing
@testable import ParleyReference

@Suite struct ERPRecordTests {
    static let options = ReferenceOptions(kind: .erp)

    static func customerBody(_ index: Int, _ changes: [(String, JSONValue)] = []) -> String {
        var body = SampleData.company(index: index).erpCustomerBody
        for (key, value) in changes { body[key] = value }
        return JSONValue.object(body).text
    }

    @Test func createsNormalizesAndReads() async throws {
        try await withReference(Self.options) { _, client in
            let body = Self.customerBody(7, [
                ("name", .string("  Fjord Bygg AS  ")),
                ("address", .object(["street": .string(" Storgata 1 "), "countryCode": .string("no")])),
            ])
            let created = try await client.post("/customers", body)
            #expect(created.status == 201)
            let id = try #require(created.json["id"]?.int64Value)
            #expect(created.header("Location") == "/customers/\(id)")
            #expect(created.header("ETag") == "\"1\"")
            #expect(created.json["name"] == .string("Fjord Bygg AS"))
            #expect(created.json["address"]?["street"] == .string("Storgata 1"))
            #expect(created.json["address"]?["countryCode"] == .string("NO"))
            #expect(created.json["address"]?["city"] == .null)
            #expect(created.json["isActive"] == .bool(true))
            #expect(created.json["email"] == .string(SampleData.company(index: 7).email))
            let marker = try #require(created.json["lastModified"]?.stringValue)
            #expect(Timestamp.parseRFC3339(marker).map { Timestamp.rfc3339(milliseconds: $0) } == marker)
            #expect(marker.count == 24 && marker.hasSuffix("Z"))

            let read = try await client.get("/customers/\(id)")
            #expect(read.status == 200)
            #expect(read.header("ETag") == "\"1\"")
            #expect(read.json == created.json)
        }
    }

    @Test func idempotencyKeyNeverCreatesASecondRecord() async throws {
        try await withReference(Self.options) { _, client in
            let key = [("Idempotency-Key", "create-customer-1")]
            let first = try await client.post("/customers", Self.customerBody(1), headers: key)
            #expect(first.status == 201)
            #expect(first.header("Idempotent-Replayed") == nil)
            let id = try #require(first.json["id"])

            let second = try await client.post("/customers", Self.customerBody(1), headers: key)
            #expect(second.status == 200)
            #expect(second.header("Idempotent-Replayed") == "true")
            #expect(second.json == first.json)

            let renamed = try await client.patch("/customers/\(id.text)", #"{"name":"Renamed AS"}"#)
            #expect(renamed.status == 200)
            let third = try await client.post("/customers", Self.customerBody(2), headers: key)
            #expect(third.status == 200)
            #expect(third.json["id"] == id)
            #expect(third.json["name"] == .string("Renamed AS"))
            #expect(third.header("ETag") == "\"2\"")

            let feed = try await client.get("/customers")
            #expect(feed.json["items"]?.arrayValue?.count == 1)

            // The same key on another collection is a different key.
            let project = try await client.post(
                "/projects",
                #"{"projectNumber":"P-1","name":"Pilot","customerId":\#(id.text)}"#,
                headers: key
            )
            #expect(project.status == 201)
        }
    }

    @Test func ifMatchGuardsUpdatesAndDeletes() async throws {
        try await withReference(Self.options) { _, client in
            let id = try #require(try await client.post("/customers", Self.customerBody(3)).json["id"]).text
            let matching = try await client.patch("/customers/\(id)", #"{"phone":"+47 400 00 000"}"#, headers: [("If-Match", "\"1\"")])
            #expect(matching.status == 200)
            #expect(matching.header("ETag") == "\"2\"")
            #expect(matching.json["phone"] == .string("+47 400 00 000"))

            let stale = try await client.patch("/customers/\(id)", #"{"phone":"+47 1"}"#, headers: [("If-Match", "\"1\"")])
            #expect(stale.status == 412)
            #expect(stale.errorCode == "precondition_failed")
            #expect(stale.errorMessage.contains("customers/\(id)"))
            #expect(try await client.get("/customers/\(id)").json["phone"] == .string("+47 400 00 000"))

            let staleDelete = try await client.delete("/customers/\(id)", headers: [("If-Match", "\"1\"")])
            #expect(staleDelete.status == 412)
            let delete = try await client.delete("/customers/\(id)", headers: [("If-Match", "\"2\"")])
            #expect(delete.status == 204)
        }
    }

    @Test func mergePatchSetsClearsAndMergesNestedObjects() async throws {
        try await withReference(Self.options) { _, client in
            let created = try await client.post("/customers", Self.customerBody(4))
            let id = try #require(created.json["id"]).text
            let street = try #require(created.json["address"]?["street"])

            let cleared = try await client.patch("/customers/\(id)", #"{"email":null,"address":{"city":"Bergen"}}"#)
            #expect(cleared.status == 200)
            #expect(cleared.json["email"] == .null)
            #expect(cleared.json["address"]?["city"] == .string("Bergen"))
            #expect(cleared.json["address"]?["street"] == street)
            #expect(cleared.json["name"] == created.json["name"])

            let noAddress = try await client.patch("/customers/\(id)", #"{"address":null}"#)
            #expect(noAddress.json["address"] == .object([
                "street": .null, "postalCode": .null, "city": .null, "countryCode": .null,
            ]))

            let requiredNull = try await client.patch("/customers/\(id)", #"{"name":null}"#)
            #expect(requiredNull.status == 422)
            #expect(requiredNull.errorProperty == "name")

            let defaulted = try await client.patch("/customers/\(id)", #"{"isActive":false}"#)
            #expect(defaulted.json["isActive"] == .bool(false))
            let reset = try await client.patch("/customers/\(id)", #"{"isActive":null}"#)
            #expect(reset.json["isActive"] == .bool(true))
        }
    }

    @Test func patchThatChangesNothingIsNotAChange() async throws {
        try await withReference(Self.options) { _, client in
            let created = try await client.post("/customers", Self.customerBody(5))
            let id = try #require(created.json["id"]).text
            let before = try await client.get("/customers")
            let name = try #require(created.json["name"]?.stringValue)
            let same = try await client.patch("/customers/\(id)", JSONValue.object([
                "name": .string("  \(name) "),
                "lastModified": try #require(created.json["lastModified"]),
                "id": try #require(created.json["id"]),
            ]).text)
            #expect(same.status == 200)
            #expect(same.header("ETag") == "\"1\"")
            #expect(same.json == created.json)
            let after = try await client.get("/customers")
            #expect(after.json["next"] == before.json["next"])
        }
    }

    @Test func rejectsReadOnlyAndUnknownProperties() async throws {
        try await withReference(Self.options) { _, client in
            let withID = try await client.post("/customers", Self.customerBody(6, [("id", .integer(5))]))
            #expect(withID.status == 422)
            #expect(withID.errorCode == "validation_failed")
            #expect(withID.errorProperty == "id")

            let id = try #require(try await client.post("/customers", Self.customerBody(6)).json["id"]).text
            let changeID = try await client.patch("/customers/\(id)", #"{"id": 999}"#)
            #expect(changeID.status == 422)
            #expect(changeID.errorProperty == "id")
            let changeMarker = try await client.patch("/customers/\(id)", #"{"lastModified":"2020-01-01T00:00:00.000Z"}"#)
            #expect(changeMarker.status == 422)
            #expect(changeMarker.errorProperty == "lastModified")

            let unknown = try await client.patch("/customers/\(id)", #"{"nickname":"x"}"#)
            #expect(unknown.status == 422)
            #expect(unknown.errorProperty == "nickname")
            #expect(unknown.errorMessage.contains("customerNumber"))
            let unknownNested = try await client.patch("/customers/\(id)", #"{"address":{"planet":"Mars"}}"#)
            #expect(unknownNested.status == 422)
            #expect(unknownNested.errorProperty == "address.planet")
            let notAnObject = try await client.patch("/customers/\(id)", #"{"address":"Storgata 1"}"#)
            #expect(notAnObject.status == 422)
            #expect(notAnObject.errorProperty == "address")
        }
    }

    @Test func uniqueCustomerNumberAmongLiveRecords() async throws {
        try await withReference(Self.options) { _, client in
            let first = try await client.post("/customers", Self.customerBody(8))
            let duplicate = try await client.post("/customers", Self.customerBody(9, [("customerNumber", .string("C-100008"))]))
            #expect(duplicate.status == 409)
            #expect(duplicate.errorCode == "conflict")
            #expect(duplicate.errorProperty == "customerNumber")
            #expect(duplicate.errorMessage.contains("\"C-100008\""))
            #expect(duplicate.errorMessage.contains("customers/\(try #require(first.json["id"]).text)"))

            let other = try #require(try await client.post("/customers", Self.customerBody(9)).json["id"]).text
            let clash = try await client.patch("/customers/\(other)", #"{"customerNumber":" C-100008 "}"#)
            #expect(clash.status == 409)

            #expect(try await client.delete("/customers/\(try #require(first.json["id"]).text)").status == 204)
            let reused = try await client.patch("/customers/\(other)", #"{"customerNumber":"C-100008"}"#)
            #expect(reused.status == 200)
        }
    }

    @Test func projectsValidateReferencesEnumsDatesAndMoney() async throws {
        try await withReference(Self.options) { _, client in
            let customer = try #require(try await client.post("/customers", Self.customerBody(10)).json["id"]).text
            func project(_ fields: String) async throws -> TestResponse {
                try await client.post("/projects", #"{"projectNumber":"P-2026-0001","name":"Website redesign",\#(fields)}"#)
            }
            let missing = try await project(#""customerId": 999999"#)
            #expect(missing.status == 422)
            #expect(missing.errorProperty == "customerId")
            #expect(missing.errorMessage.contains("customers/999999"))

            let badEnum = try await project(#""customerId": \#(customer), "status": "DONE""#)
            #expect(badEnum.status == 422)
            #expect(badEnum.errorProperty == "status")
            #expect(badEnum.errorMessage.contains("PLANNED, ACTIVE, ON_HOLD, COMPLETED"))

            let badDate = try await project(#""customerId": \#(customer), "startDate": "2026-02-30""#)
            #expect(badDate.status == 422)
            #expect(badDate.errorProperty == "startDate")
            let backwards = try await project(#""customerId": \#(customer), "startDate": "2026-03-01", "endDate": "2026-02-28""#)
            #expect(backwards.status == 422)
            #expect(backwards.errorProperty == "endDate")
            let stringBudget = try await project(#""customerId": \#(customer), "budget": "12.50""#)
            #expect(stringBudget.status == 422)
            #expect(stringBudget.errorProperty == "budget")

            let created = try await project(#""customerId": \#(customer), "budget": 1234.565, "startDate": "2026-03-01", "endDate": "2026-03-01""#)
            #expect(created.status == 201)
            #expect(created.text.contains(#""budget":1234.57"#))
            #expect(created.json["status"] == .string("PLANNED"))
            #expect(created.json["isActive"] == .bool(true))
            let id = try #require(created.json["id"]).text
            let exact = try await client.patch("/projects/\(id)", #"{"budget": 0.1}"#)
            #expect(exact.text.contains(#""budget":0.10"#))

            #expect(try await client.delete("/customers/\(customer)").status == 204)
            let deletedReference = try await client.post(
                "/projects", #"{"projectNumber":"P-2026-0002","name":"X","customerId":\#(customer)}"#
            )
            #expect(deletedReference.status == 422)
            #expect(deletedReference.errorMessage.contains("deleted"))
            // Unrelated edits of a project whose customer was deleted still work.
            #expect(try await client.patch("/projects/\(id)", #"{"name":"Website redesign, phase 2"}"#).status == 200)
        }
    }

    @Test func rejectsWrongTypesAndCountryCodes() async throws {
        try await withReference(Self.options) { _, client in
            let badCountry = try await client.post("/customers", Self.customerBody(11, [("address", .object(["countryCode": .string("XX")]))]))
            #expect(badCountry.status == 422)
            #expect(badCountry.errorProperty == "address.countryCode")
            #expect(badCountry.errorMessage.contains("alpha-2"))
            let alpha3 = try await client.post("/customers", Self.customerBody(11, [("address", .object(["countryCode": .string("NOR")]))]))
            #expect(alpha3.status == 422)
            let badBool = try await client.post("/customers", Self.customerBody(11, [("isActive", .string("yes"))]))
            #expect(badBool.status == 422)
            #expect(badBool.errorProperty == "isActive")
            let badName = try await client.post("/customers", Self.customerBody(11, [("name", .integer(42))]))
            #expect(badName.status == 422)
            #expect(badName.errorProperty == "name")
            let blank = try await client.post("/customers", Self.customerBody(11, [("name", .string("   "))]))
            #expect(blank.status == 422)
            let badEmail = try await client.post("/customers", Self.customerBody(11, [("email", .string("not-an-email"))]))
            #expect(badEmail.status == 422)
            #expect(badEmail.errorProperty == "email")
            let missing = try await client.post("/customers", #"{"name":"No Number AS"}"#)
            #expect(missing.status == 422)
            #expect(missing.errorProperty == "customerNumber")
        }
    }

    @Test func deleteLeavesATombstone() async throws {
        try await withReference(Self.options) { _, client in
            let id = try #require(try await client.post("/customers", Self.customerBody(12)).json["id"])
            #expect(try await client.delete("/customers/\(id.text)").status == 204)
            let gone = try await client.get("/customers/\(id.text)")
            #expect(gone.status == 410)
            #expect(gone.errorCode == "deleted")
            #expect(try await client.delete("/customers/\(id.text)").status == 410)
            #expect(try await client.patch("/customers/\(id.text)", #"{"name":"x"}"#).status == 410)
            let feed = try await client.get("/customers")
            let items = try #require(feed.json["items"]?.arrayValue)
            #expect(items.count == 1)
            let tombstone = try #require(items.first?.objectValue)
            #expect(tombstone.keys == ["id", "deleted", "lastModified"])
            #expect(tombstone["id"] == id)
            #expect(tombstone["deleted"] == .bool(true))
        }
    }

    @Test func answersProtocolErrorsAsJSON() async throws {
        try await withReference(Self.options) { _, client in
            let unknown = try await client.get("/invoices")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not_found")
            #expect(unknown.errorMessage.contains("customers, projects"))
            #expect(try await client.get("/customers/abc").status == 404)
            #expect(try await client.get("/customers/999").errorCode == "not_found")
            let put = try await client.send(.PUT, "/customers", body: "{}")
            #expect(put.status == 405)
            #expect(put.header("Allow") == "GET, POST")
            let malformed = try await client.post("/customers", #"{"name": "#)
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "bad_request")
            #expect(try await client.post("/customers", "[1,2]").status == 400)
            #expect(try await client.send(.POST, "/customers").status == 400)
            #expect(malformed.header("Content-Type")?.hasPrefix("application/json") == true)
        }
    }
}
