import ParleyCore
import ParleyDocs
import Testing

/// What each flow section says, for the cases the default configuration does not have.
@Suite struct SectionStatementTests {
    static let generated = "2024-10-28 00:00:00"

    @Test func aOneWayFlowSaysSoInTheDirectionItDoesNotCarry() throws {
        let docs = Fixtures.docs([Fixtures.contacts(direction: .leftToRight)])
        let reverse = docs.document(for: Fixtures.shopToCRM, generated: Self.generated)
        let section = try #require(Fixtures.section("Shop Buyer to CRM Contact", in: reverse))
        #expect(section.blocks == [
            .paragraph("""
                No Shop Buyer is synchronized to the CRM: this flow is one-way and only carries changes from the CRM to \
                the Shop (see the CRM to Shop Dataflow).
                """),
        ])

        let forward = docs.document(for: Fixtures.crmToShop, generated: Self.generated)
        let paragraphs = Fixtures.paragraphs(Fixtures.section("CRM Contact to Shop Buyer", in: forward))
        #expect(paragraphs.first == "Every CRM Contact will be synchronized with a Shop Buyer.")
        #expect(paragraphs.contains("""
            Once a link between a CRM Contact and a Shop Buyer is established, changes made in the CRM are copied to the \
            Shop; this flow is one-way, so edits made in the Shop are not synchronized back.
            """))
        // One-way flows never have a property changed on both sides, so there is no conflict policy to state.
        #expect(!paragraphs.contains { $0.hasPrefix("When the same property is changed") })
    }

    @Test func onlyPropertiesThatFlowInTheDocumentsDirectionAreListed() {
        let flow = Fixtures.contacts(properties: [
            PropertyMapping(left: "name", right: "full_name", leftType: .string, rightType: .string),
            PropertyMapping(left: "code", right: "ref", leftType: .string, rightType: .string, direction: .leftToRight),
            PropertyMapping(left: "vip", right: "tier", leftType: .boolean, rightType: .enum, direction: .rightToLeft),
        ])
        let docs = Fixtures.docs([flow])
        let forward = Fixtures.tables(Fixtures.section("CRM Contact to Shop Buyer", in: docs.document(for: Fixtures.crmToShop, generated: Self.generated)))
        let reverse = Fixtures.tables(Fixtures.section("Shop Buyer to CRM Contact", in: docs.document(for: Fixtures.shopToCRM, generated: Self.generated)))
        #expect(forward == [
            DocumentTable(
                header: ["CRM Contact Property", "Shop Buyer Property", "Shop Data Type"],
                rows: [["name", "full_name", "\"string\""], ["code", "ref", "\"string\""]]),
        ])
        #expect(reverse == [
            DocumentTable(
                header: ["Shop Buyer Property", "CRM Contact Property", "CRM Data Type"],
                rows: [["full_name", "name", "\"string\""], ["tier", "vip", "\"boolean\""]]),
        ])
    }

    @Test func aFlowListedTwiceIsDocumentedOnceAfterTheFlowsItReferences() {
        let docs = Fixtures.docs([Fixtures.deals(), Fixtures.contacts(), Fixtures.deals()])
        let document = docs.document(for: Fixtures.crmToShop, generated: Self.generated)
        #expect(document.sections.map(\.title) == ["Introduction", "CRM Contact to Shop Buyer", "CRM Deal to Shop Order"])
        #expect(docs.directions == [Fixtures.crmToShop, Fixtures.shopToCRM])
    }

    @Test func referencesWaitForTheirLinkAndNameTheReferencedDatatype() throws {
        let docs = Fixtures.docs([Fixtures.contacts(), Fixtures.deals()])
        let section = Fixtures.section("Shop Order to CRM Deal", in: docs.document(for: Fixtures.shopToCRM, generated: Self.generated))
        #expect(Fixtures.paragraphs(section).contains(
            "A Shop Order is created in the CRM only once its Buyer is linked; until then it waits (parked) and resumes automatically."))
        let table = try #require(Fixtures.tables(section).last)
        #expect(table.rows == [["buyer_id", "contactId", "reference (Contact)"], ["total", "amount", "\"integer\" (× 100, rounded)"]])
        let forward = try #require(Fixtures.tables(Fixtures.section("CRM Deal to Shop Order", in: docs.document(for: Fixtures.crmToShop, generated: Self.generated))).last)
        #expect(forward.rows == [["contactId", "buyer_id", "reference (Buyer)"], ["amount", "total", "\"decimal\" (÷ 100)"]])
    }

    @Test func deletePolicies() {
        func sentence(_ policy: DeletePolicy, _ direction: DocsDirection = Fixtures.crmToShop) -> String? {
            let document = Fixtures.docs([Fixtures.contacts(deletes: policy)]).document(for: direction, generated: Self.generated)
            return Fixtures.paragraphs(document.sections.last).first { $0.hasPrefix("When a ") }
        }
        #expect(sentence(.ignore) == "When a CRM Contact is deleted, the linked Shop Buyer is left unchanged; only the link is marked as deleted.")
        #expect(sentence(.propagate) == "When a CRM Contact is deleted, the linked Shop Buyer is deleted too.")
        let archive = DeletePolicy.archive(left: ArchiveMarker(property: "source", value: .string("gone")), right: nil)
        #expect(sentence(archive, Fixtures.shopToCRM) == "When a Shop Buyer is deleted, the linked CRM Contact is archived: source is set to \"gone\".")
        #expect(sentence(archive) == "When a CRM Contact is deleted, the linked Shop Buyer is left unchanged: no archive property is configured for the Shop.")
    }

    @Test func conflictPolicyNamesMarkersPriorityAndOwners() {
        var flow = Fixtures.contacts(properties: [
            PropertyMapping(left: "name", right: "full_name", leftType: .string, rightType: .string, owner: .right),
            PropertyMapping(left: "code", right: "ref", leftType: .string, rightType: .string, owner: .left),
            PropertyMapping(left: "source", right: "ref", leftType: .string, rightType: .string, owner: .right),
        ])
        flow.conflict = ConflictPolicy(prioritySide: .right)
        let document = Fixtures.docs([flow]).document(for: Fixtures.crmToShop, generated: Self.generated)
        let conflict = Fixtures.paragraphs(document.sections.last).first { $0.hasPrefix("When the same property") }
        #expect(conflict == """
            When the same property is changed in both systems, the newest change wins by the systems' change markers \
            (modified in the CRM, the Shop has none, so Parley's observation order counts); ties go to the Shop; \
            the CRM always wins for code; the Shop always wins for full_name and ref.
            """)
    }

    @Test func mergeCriteriaNewOnlyOnboardingAndNoCriteria() throws {
        let criteria = [
            MergeCriterion(pairs: [
                MergeCriterion.Pair(left: "name", right: "full_name", normalize: [.collapseSpaces, .lowercase]),
                MergeCriterion.Pair(left: "code", right: "ref", normalize: []),
            ]),
        ]
        let withCriteria = Fixtures.docs([Fixtures.contacts(mergeCriteria: criteria, onboarding: [.left: .newOnly])])
            .document(for: Fixtures.crmToShop, generated: Self.generated)
        let section = withCriteria.sections.last
        #expect(Fixtures.paragraphs(section).prefix(3) == [
            "Every CRM Contact created after Parley first read the CRM will be synchronized with a Shop Buyer.",
            "A CRM Contact will merge with a Shop Buyer if the following property combination matches:",
            """
            Exactly one match links the two records; if several match, none is merged and the CRM Contact is held as \
            ambiguous for review; if none matches, a new Shop Buyer is created.
            """,
        ])
        #expect(Fixtures.tables(section).first == DocumentTable(
            header: ["CRM Contact Property", "Shop Buyer Property", "Normalization"],
            rows: [["name + code", "full_name + ref", "spaces collapsed, case-insensitive + exact"]]))

        let without = Fixtures.docs([Fixtures.contacts()]).document(for: Fixtures.shopToCRM, generated: Self.generated)
        #expect(Fixtures.paragraphs(without.sections.last).dropFirst().first
            == "A Shop Buyer is never merged with an existing CRM Contact: each one that is not linked yet is created in the CRM.")
    }

    @Test func createDefaultsAnnotateMappedPropertiesAndAddDerivedRows() throws {
        let flow = Fixtures.contacts(createDefaults: [.left: ["name": .string("Shop {id}"), "source": .string("shop")]])
        let document = Fixtures.docs([flow]).document(for: Fixtures.shopToCRM, generated: Self.generated)
        let table = try #require(Fixtures.tables(document.sections.last).last)
        #expect(table.rows == [
            ["full_name", "name", "\"string\" (if empty on create: \"Shop {id}\")"],
            ["N/A", "source", "N/A (derived: set on create to \"shop\")"],
        ])
        // Defaults of the other side are not this direction's business.
        let forward = Fixtures.docs([flow]).document(for: Fixtures.crmToShop, generated: Self.generated)
        #expect(Fixtures.tables(forward.sections.last).last?.rows == [["name", "full_name", "\"string\""]])
    }

    @Test func theIntroductionNamesParleyAndVerify() {
        let document = Fixtures.docs([Fixtures.contacts()]).document(for: Fixtures.crmToShop, generated: Self.generated)
        #expect(document.title == "CRM to Shop Dataflow")
        #expect(document.sections.first?.title == "Introduction")
        #expect(Fixtures.paragraphs(document.sections.first) == [
            """
            This document describes the Parley dataflow from CRM to Shop: for each flow, how records are matched and \
            linked, when they are created, how deletes and conflicts are handled, and which properties are synchronized, \
            with their types and conversions.
            """,
            """
            It is a QA checklist for testing, generated from Parley's configuration and the systems' schemas; parley \
            verify checks it against the live systems.
            """,
        ])
    }

    @Test func titlesFallBackToTheSchemaNameThenTheSystemKey() {
        var schemas = Fixtures.schemas
        schemas["shop"]?.name = ""
        let docs = DataflowDocs(flows: [Fixtures.contacts()], schemas: schemas, titles: [:])
        #expect(docs.title(for: Fixtures.crmToShop) == "CRM to shop Dataflow")
    }
}
