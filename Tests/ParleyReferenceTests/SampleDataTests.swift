import Testing
@testable import ParleyReference

@Suite struct SampleDataTests {
    @Test func isDeterministicPerSeedValue() {
        #expect(SampleData.company(index: 42) == SampleData.company(index: 42, seedValue: 1))
        #expect(SampleData.company(index: 42, seedValue: 2) != SampleData.company(index: 42))
        #expect(SampleData.project(companyIndex: 42, projectIndex: 1) == SampleData.project(companyIndex: 42, projectIndex: 1))
    }

    @Test func looksLikeRealCompanies() {
        let companies = SampleData.companies(count: 2000)
        #expect(SampleData.company(index: 42).customerNumber == "C-100042")
        #expect(companies.allSatisfy { $0.organizationNumber.count == 9 && $0.organizationNumber.allSatisfy(\.isASCIIDigit) })
        #expect(companies.allSatisfy { $0.erpOrganizationNumber.filter(\.isASCIIDigit) == $0.organizationNumber })
        let grouped = companies.filter { $0.erpOrganizationNumber.contains(" ") }.count
        #expect(grouped > 400 && grouped < 900)
        #expect(companies.contains { $0.email != $0.email.lowercased() })
        #expect(companies.allSatisfy { ValueValidator.looksLikeEmail($0.email) })
        #expect(companies.allSatisfy { CountryCodes.alpha2ToAlpha3[$0.countryCode] == $0.countryAlpha3 })
        #expect(Set(companies.map(\.countryCode)).isSuperset(of: ["NO", "SE", "DK", "FI"]))
        #expect(companies.filter { !$0.isActive }.count > 50)
    }

    @Test func organizationNumbersAreDistinct() {
        let numbers = (0..<100_000).map { SampleData.organizationNumber(index: $0, seedValue: 1) }
        #expect(Set(numbers).count == numbers.count)
    }

    @Test func projectsLookLikeRealProjects() {
        let projects = (0..<500).flatMap { SampleData.projects(companyIndex: $0) }
        #expect(projects.count > 800 && projects.count < 1200)
        #expect(Set(projects.map(\.projectNumber)).count == projects.count)
        #expect(projects.allSatisfy { $0.projectNumber.hasPrefix("P-20") })
        #expect(SampleData.project(companyIndex: 13, projectIndex: 2).projectNumber.hasSuffix("-0042"))
        #expect(SampleData.project(companyIndex: 13, projectIndex: 2, system: .pms).code == "PMS-0042")
        #expect(projects.allSatisfy { project in project.endDate.map { $0 >= project.startDate } ?? true })
        #expect(projects.contains { $0.budgetCents % 100 != 0 })
        #expect(Set(projects.map(\.status)) == ["PLANNED", "ACTIVE", "ON_HOLD", "COMPLETED"])
        #expect(SampleData.project(companyIndex: 1, projectIndex: 0, system: .pms).name != SampleData.project(companyIndex: 1, projectIndex: 0).name
            || SampleData.project(companyIndex: 1, projectIndex: 0, system: .pms).startDate != SampleData.project(companyIndex: 1, projectIndex: 0).startDate)
    }

    @Test func seedOffsetSharesCompaniesBetweenSystems() async throws {
        let erpOrgNumbers = try await withReference(ReferenceOptions(kind: .erp, seed: 500)) { _, client in
            try await Self.allItems(client).compactMap { $0["organizationNumber"]?.stringValue?.filter(\.isASCIIDigit) }
        }
        let pms = try await withReference(ReferenceOptions(kind: .pms, seed: 200, seedOffset: 350)) { _, client in
            try await Self.allItems(client)
        }
        let pmsOrgNumbers = pms.compactMap { $0["org_no"]?.stringValue }
        #expect(erpOrgNumbers.count == 500)
        #expect(pmsOrgNumbers.count == 200)
        #expect(Set(erpOrgNumbers).intersection(pmsOrgNumbers).count == 150)
        #expect(pms.allSatisfy { $0["erp_number"] == .null })
        #expect(pms.first?["display_name"] == .string(SampleData.company(index: 350).name))
        #expect(pms.first?["contact_email"] == .string(SampleData.company(index: 350).email.lowercased()))
    }

    static func allItems(_ client: TestClient) async throws -> [JSONValue] {
        var items: [JSONValue] = []
        var cursor = "0"
        while true {
            let page = try await client.get("/customers?since=\(cursor)&limit=1000")
            items += page.json["items"]?.arrayValue ?? []
            cursor = page.json["next"]?.stringValue ?? cursor
            if page.json["hasMore"] != .bool(true) { return items }
        }
    }
}
