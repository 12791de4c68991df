import Foundation
import ParleyDocs
import Testing

/// The checklist for the default configuration against the live reference schemas, pinned byte for byte
/// (Golden/), plus the facts a reviewer looks for first, so a golden update cannot quietly lose them.
@Suite struct DefaultConfigDocsTests {
    @Test(arguments: [("erp", "pms", Golden.erpToPMS), ("pms", "erp", Golden.pmsToERP)])
    func rstMatchesTheGoldenFile(from: String, to: String, golden: String) async throws {
        let rst = DocumentFormat.rst.render(try await LiveDocs.document(from: from, to: to))
        // On a difference the new text is left in the temp folder, for `diff` and for updating Golden/ deliberately.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-docs-\(from)-to-\(to).rst").path
        if rst != golden { try rst.write(toFile: path, atomically: true, encoding: .utf8) }
        #expect(rst == golden, "actual output: \(path)")
    }

    @Test func bothDirectionsAreDocumentedByDefault() async throws {
        let docs = try await LiveDocs.docs()
        #expect(docs.directions == [DocsDirection(from: "erp", to: "pms"), DocsDirection(from: "pms", to: "erp")])
        #expect(docs.title(for: DocsDirection(from: "erp", to: "pms")) == "Custom ERP to Custom PMS Dataflow")
        #expect(docs.title(for: DocsDirection(from: "pms", to: "erp")) == "Custom PMS to Custom ERP Dataflow")
    }

    @Test(arguments: [("erp", "pms"), ("pms", "erp")])
    func everyFlowSectionAppearsExactlyOnceInEveryFormat(from: String, to: String) async throws {
        let document = try await LiveDocs.document(from: from, to: to)
        let (source, target) = from == "erp" ? ("Custom ERP", "Custom PMS") : ("Custom PMS", "Custom ERP")
        let flowTitles = ["\(source) Customer to \(target) Customer", "\(source) Project to \(target) Project"]
        #expect(document.sections.map(\.title) == ["Introduction"] + flowTitles)

        let rst = DocumentFormat.rst.render(document)
        let md = DocumentFormat.md.render(document)
        let html = DocumentFormat.html.render(document)
        for title in flowTitles {
            #expect(occurrences(of: "\n\(title)\n\(String(repeating: "-", count: title.count))\n", in: rst) == 1)
            #expect(occurrences(of: title, in: rst) == 1)
            #expect(occurrences(of: "\n## \(title)\n", in: md) == 1)
            #expect(occurrences(of: title, in: md) == 1)
            #expect(occurrences(of: "<h2>\(title)</h2>", in: html) == 1)
            #expect(occurrences(of: title, in: html) == 1)
        }
        #expect(occurrences(of: "Introduction", in: rst) == 1)
        #expect(occurrences(of: ".. list-table::", in: rst) == 4)
    }

    @Test func erpToPMSTablesCarryTypesAndConversions() async throws {
        let document = try await LiveDocs.document(from: "erp", to: "pms")
        let customers = Fixtures.tables(Fixtures.section("Custom ERP Customer to Custom PMS Customer", in: document))
        #expect(customers.first == DocumentTable(
            header: ["Custom ERP Customer Property", "Custom PMS Customer Property", "Normalization"],
            rows: [["organizationNumber", "org_no", "digits only"], ["customerNumber", "erp_number", "trimmed, case-insensitive"]]))
        #expect(customers.last?.header == ["Custom ERP Customer Property", "Custom PMS Customer Property", "Custom PMS Data Type"])
        #expect(customers.last?.rows.count == 11)
        #expect(customers.last?.rows.contains(["address.countryCode", "country", "\"string\" (alpha-2 ↔ alpha-3)"]) == true)
        #expect(customers.last?.rows.contains(["isActive", "archived", "\"boolean\" (negated)"]) == true)

        let projects = Fixtures.tables(Fixtures.section("Custom ERP Project to Custom PMS Project", in: document))
        #expect(projects.first?.rows == [["projectNumber", "code", "trimmed"]])
        #expect(projects.last?.rows == [
            ["projectNumber", "code", "\"string\""],
            ["name", "title", "\"string\""],
            ["description", "summary", "\"string\""],
            ["customerId", "customer_id", "reference (Customer)"],
            ["startDate", "start_on", "\"date\""],
            ["endDate", "due_on", "\"date\""],
            ["status", "state", "\"string\" (one of: planned, in_progress, paused, done; enum map PLANNED→planned, ACTIVE→in_progress, ON_HOLD→paused, COMPLETED→done)"],
            ["budget", "budget_cents", "\"integer\" (× 100, rounded)"],
            ["projectManagerEmail", "lead_email", "\"string\" (compared ignoring case)"],
        ])
    }

    @Test func pmsToERPTablesCarryTypesAndConversions() async throws {
        let document = try await LiveDocs.document(from: "pms", to: "erp")
        let customers = Fixtures.tables(Fixtures.section("Custom PMS Customer to Custom ERP Customer", in: document))
        #expect(customers.first?.rows == [["org_no", "organizationNumber", "digits only"], ["erp_number", "customerNumber", "trimmed, case-insensitive"]])
        #expect(customers.last?.header == ["Custom PMS Customer Property", "Custom ERP Customer Property", "Custom ERP Data Type"])
        #expect(customers.last?.rows.contains(["erp_number", "customerNumber", "\"string\" (if empty on create: \"PMS-{id}\")"]) == true)
        #expect(customers.last?.rows.contains(["country", "address.countryCode", "\"string\" (alpha-2 ↔ alpha-3)"]) == true)
        #expect(customers.last?.rows.contains(["archived", "isActive", "\"boolean\" (negated)"]) == true)

        let projects = Fixtures.tables(Fixtures.section("Custom PMS Project to Custom ERP Project", in: document))
        #expect(projects.last?.rows.contains(["customer_id", "customerId", "reference (Customer)"]) == true)
        #expect(projects.last?.rows.contains(["budget_cents", "budget", "\"decimal\" (÷ 100)"]) == true)
        #expect(projects.last?.rows.contains([
            "state", "status",
            "\"string\" (one of: PLANNED, ACTIVE, ON_HOLD, COMPLETED; enum map planned→PLANNED, in_progress→ACTIVE, paused→ON_HOLD, done→COMPLETED)",
        ]) == true)
    }

    @Test func projectSectionsStateTheirPolicies() async throws {
        let document = try await LiveDocs.document(from: "erp", to: "pms")
        let paragraphs = Fixtures.paragraphs(Fixtures.section("Custom ERP Project to Custom PMS Project", in: document))
        #expect(paragraphs == [
            "Every Custom ERP Project will be synchronized with a Custom PMS Project.",
            "A Custom ERP Project will merge with a Custom PMS Project if the following property combination matches:",
            """
            Exactly one match links the two records; if several match, none is merged and the Custom ERP Project is held \
            as ambiguous for review; if none matches, a new Custom PMS Project is created.
            """,
            """
            Once a link between a Custom ERP Project and a Custom PMS Project is established, it will keep in sync between \
            the two systems, regardless of where it is edited.
            """,
            """
            A Custom ERP Project is created in the Custom PMS only once its Customer is linked; until then it waits \
            (parked) and resumes automatically.
            """,
            "When a Custom ERP Project is deleted, the linked Custom PMS Project is archived: archived is set to true.",
            """
            When the same property is changed in both systems, the newest change wins by the systems' change markers \
            (lastModified in the Custom ERP, updated_at in the Custom PMS); ties go to the Custom ERP.
            """,
            "The following properties are synchronized between a Custom ERP Project and a Custom PMS Project:",
        ])
    }

    @Test func markdownAndHTMLOfTheDefaultConfig() async throws {
        let document = try await LiveDocs.document(from: "erp", to: "pms")
        let md = DocumentFormat.md.render(document)
        #expect(md.hasPrefix("# Custom ERP to Custom PMS Dataflow\n\nGenerated: 2024-10-28 00:00:00\n\n## Introduction\n\n"))
        #expect(md.contains("""
            | Custom ERP Project Property | Custom PMS Project Property | Custom PMS Data Type |
            |---|---|---|
            | projectNumber | code | "string" |
            """))
        #expect(md.contains("\n| budget | budget_cents | \"integer\" (× 100, rounded) |\n"))
        #expect(md.contains("\n| customerId | customer_id | reference (Customer) |\n"))
        #expect(md.contains("archived: `archived` is set to `true`."))
        #expect(md.contains("`parley verify` checks it against the live systems."))

        let html = DocumentFormat.html.render(document)
        #expect(html.contains("<title>Custom ERP to Custom PMS Dataflow</title>"))
        #expect(html.contains("<tr><td>budget</td><td>budget_cents</td><td>&quot;integer&quot; (× 100, rounded)</td></tr>"))
        #expect(html.contains("<tr><td>isActive</td><td>archived</td><td>&quot;boolean&quot; (negated)</td></tr>"))
        #expect(html.contains("<code>parley verify</code>"))
    }
}
