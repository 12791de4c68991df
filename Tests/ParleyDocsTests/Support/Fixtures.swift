import ParleyCore
import ParleyDocs

/// Small hand-made systems and flows ("CRM" contacts and deals, "Shop" buyers and orders) for the cases
/// the default configuration does not exercise: one-way flows and properties, other delete policies,
/// owners, derived values, hostile titles.
enum Fixtures {
    static let titles = ["crm": "CRM", "shop": "Shop"]

    static let schemas: [String: SystemSchema] = [
        "crm": SystemSchema(system: "crm", name: "CRM", datatypes: [
            DatatypeSchema(
                name: "contact", collection: "contacts", idField: "id", idType: .integer, changeMarker: "modified",
                changeMarkerType: .datetime,
                properties: [
                    PropertySchema(name: "name", type: .string), PropertySchema(name: "code", type: .string),
                    PropertySchema(name: "vip", type: .boolean), PropertySchema(name: "source", type: .string),
                ]),
            DatatypeSchema(
                name: "deal", collection: "deals", idField: "id", idType: .integer, changeMarker: "modified",
                changeMarkerType: .datetime,
                properties: [
                    PropertySchema(name: "contactId", type: .reference, references: "contact"),
                    PropertySchema(name: "amount", type: .integer),
                ]),
        ]),
        "shop": SystemSchema(system: "shop", name: "Shop", datatypes: [
            DatatypeSchema(
                name: "buyer", collection: "buyers", idField: "id", idType: .string, changeMarker: nil, changeMarkerType: .none,
                properties: [
                    PropertySchema(name: "full_name", type: .string), PropertySchema(name: "ref", type: .string),
                    PropertySchema(name: "tier", type: .enum, values: ["gold", "basic"]),
                ]),
            DatatypeSchema(
                name: "order", collection: "orders", idField: "id", idType: .string, changeMarker: "ts", changeMarkerType: .integer,
                properties: [
                    PropertySchema(name: "buyer_id", type: .reference, references: "buyer"),
                    PropertySchema(name: "total", type: .decimal),
                ]),
        ]),
    ]

    static let contact = DatatypeRef(system: "crm", datatype: "contact")
    static let buyer = DatatypeRef(system: "shop", datatype: "buyer")
    static let deal = DatatypeRef(system: "crm", datatype: "deal")
    static let order = DatatypeRef(system: "shop", datatype: "order")

    static func contacts(
        direction: FlowDirection = .both, deletes: DeletePolicy = .ignore, properties: [PropertyMapping]? = nil,
        mergeCriteria: [MergeCriterion] = [], onboarding: [Side: OnboardingMode] = [:], createDefaults: [Side: [String: JSONValue]] = [:]
    ) -> FlowDefinition {
        FlowDefinition(
            name: "contacts", left: contact, right: buyer,
            properties: properties ?? [PropertyMapping(left: "name", right: "full_name", leftType: .string, rightType: .string)],
            mergeCriteria: mergeCriteria, deletes: deletes, direction: direction, onboarding: onboarding, createDefaults: createDefaults)
    }

    /// Deals reference contacts; amounts are stored in cents by the CRM and in units by the shop.
    static func deals(direction: FlowDirection = .both) -> FlowDefinition {
        FlowDefinition(
            name: "deals", left: deal, right: order,
            properties: [
                PropertyMapping(
                    left: "contactId", right: "buyer_id", leftType: .reference, rightType: .reference,
                    reference: ReferenceTarget(flow: "contacts", leftNumeric: true, rightNumeric: false)),
                PropertyMapping(left: "amount", right: "total", leftType: .integer, rightType: .decimal, conversion: .scale(power: -2)),
            ],
            mergeCriteria: [MergeCriterion(pairs: [MergeCriterion.Pair(left: "amount", right: "total", normalize: [])])],
            direction: direction)
    }

    static func docs(_ flows: [FlowDefinition], titles: [String: String] = titles) -> DataflowDocs {
        DataflowDocs(flows: flows, schemas: schemas, titles: titles)
    }

    static let crmToShop = DocsDirection(from: "crm", to: "shop")
    static let shopToCRM = DocsDirection(from: "shop", to: "crm")

    /// The section of a document with this title.
    static func section(_ title: String, in document: DataflowDocument) -> DocumentSection? {
        document.sections.first { $0.title == title }
    }

    /// A section's paragraphs as plain text.
    static func paragraphs(_ section: DocumentSection?) -> [String] {
        (section?.blocks ?? []).compactMap { block in
            if case .paragraph(let text) = block { return text.plain }
            return nil
        }
    }

    /// A section's tables.
    static func tables(_ section: DocumentSection?) -> [DocumentTable] {
        (section?.blocks ?? []).compactMap { block in
            if case .table(let table) = block { return table }
            return nil
        }
    }
}
