import ParleyCore
import Testing

@Suite("Field-level three-way merge")
struct MergeTests {
    let flow = FlowDefinition(
        name: "customers", left: DatatypeRef(system: "erp", datatype: "customer"), right: DatatypeRef(system: "pms", datatype: "customer"),
        properties: [
            PropertyMapping(left: "name", right: "display_name", leftType: .string, rightType: .string),
            PropertyMapping(left: "phone", right: "contact_phone", leftType: .string, rightType: .string),
            PropertyMapping(left: "email", right: "contact_email", leftType: .string, rightType: .string, ignoreCase: true),
            PropertyMapping(left: "website", right: "homepage", leftType: .string, rightType: .string, owner: .right),
        ],
        conflict: ConflictPolicy(prioritySide: .left))

    let shadow: CanonicalRecord = ["name": .text("A"), "phone": .text("1"), "email": .text("a@x.no"), "website": .text("w")]

    func side(_ changes: CanonicalRecord, at millis: Int64? = nil) -> MergeSide {
        MergeSide(current: shadow.merging(changes) { _, new in new }, shadow: shadow, changedAtMillis: millis)
    }

    @Test("different properties changed on both sides both survive")
    func nonOverlapping() {
        let result = ThreeWayMerge.merge(flow: flow, left: side(["name": .text("B")]), right: side(["phone": .text("2")]))
        #expect(result.writes(to: .right).map(\.property) == ["name"])
        #expect(result.writes(to: .left).map(\.property) == ["phone"])
        #expect(result.conflicts.isEmpty)
    }

    @Test("the same property changed on both sides: the newest change marker wins, the loser is reported")
    func newestWins() {
        let result = ThreeWayMerge.merge(flow: flow, left: side(["name": .text("L")], at: 1_000), right: side(["name": .text("R")], at: 2_000))
        #expect(result.conflicts == [ConflictDecision(property: "name", leftValue: .text("L"), rightValue: .text("R"), winner: .right, rule: .newestChangeMarker)])
        #expect(result.writes(to: .left) == [PropertyWrite(property: "name", before: .text("L"), after: .text("R"), reason: .conflictWon)])
        #expect(result.writes(to: .right).isEmpty)
    }

    @Test("ties go to the observation order, then to the priority side; owners override")
    func tiesAndOwners() {
        let observed = ThreeWayMerge.merge(flow: flow, left: side(["name": .text("L")], at: 5), right: side(["name": .text("R")], at: 5), observedLast: .right)
        #expect(observed.conflicts.first?.winner == .right)
        #expect(observed.conflicts.first?.rule == .observationOrder)
        let priority = ThreeWayMerge.merge(flow: flow, left: side(["name": .text("L")]), right: side(["name": .text("R")]))
        #expect(priority.conflicts.first?.winner == .left)
        #expect(priority.conflicts.first?.rule == .priority)
        let owned = ThreeWayMerge.merge(flow: flow, left: side(["website": .text("L")], at: 9), right: side(["website": .text("R")], at: 1))
        #expect(owned.conflicts.first?.winner == .right)
        #expect(owned.conflicts.first?.rule == .owner)
    }

    @Test("a deliberate clear propagates; a value the other side normalized is no change (no loop)")
    func clearAndNormalization() {
        let cleared = ThreeWayMerge.merge(flow: flow, left: side(["phone": .null]), right: side([:]))
        #expect(cleared.writes(to: .right) == [PropertyWrite(property: "phone", before: .text("1"), after: .null, reason: .cleared)])
        // The PMS stored "a@x.no" for the ERP's "A@X.no": each side's own shadow keeps it quiet.
        let left = MergeSide(current: shadow.merging(["email": .text("A@X.no")]) { _, n in n }, shadow: shadow.merging(["email": .text("A@X.no")]) { _, n in n }, changedAtMillis: nil)
        #expect(ThreeWayMerge.merge(flow: flow, left: left, right: side([:])).isEmpty)
    }

    @Test("first match: an empty value never overwrites a filled one; differing values resolve by newest")
    func firstMatch() {
        let left = MergeSide(current: ["name": .text("Acme"), "phone": .null, "email": .text("a@x.no")], shadow: nil, changedAtMillis: 10)
        let right = MergeSide(current: ["name": .text("ACME AS"), "phone": .text("555"), "email": .null], shadow: nil, changedAtMillis: 20)
        let result = ThreeWayMerge.merge(flow: flow, left: left, right: right)
        #expect(result.writes(to: .left).map(\.property).sorted() == ["name", "phone"])
        #expect(result.writes(to: .right).map(\.property) == ["email"])
        #expect(result.conflicts.map(\.property) == ["name"])
    }

    @Test("a one-way flow never writes to its source, and the source always wins")
    func oneWay() {
        var oneWay = flow
        oneWay.direction = .leftToRight
        let result = ThreeWayMerge.merge(flow: oneWay, left: side(["name": .text("L")], at: 1), right: side(["name": .text("R"), "phone": .text("9")], at: 2))
        #expect(result.writes(to: .left).isEmpty)
        #expect(result.writes(to: .right).map(\.property) == ["name"])
    }
}

@Suite("Merge keys")
struct MergeKeyTests {
    @Test("normalized per criterion; an empty part yields no key")
    func keys() {
        let criteria = [
            MergeCriterion(pairs: [.init(left: "organizationNumber", right: "org_no", normalize: [.digitsOnly])]),
            MergeCriterion(pairs: [.init(left: "customerNumber", right: "erp_number", normalize: [.trim, .lowercase])]),
        ]
        #expect(MergeKeys.keys(of: ["organizationNumber": "912 345 678", "customerNumber": " C-1 "], side: .left, criteria: criteria) == ["0:912345678", "1:c-1"])
        #expect(MergeKeys.keys(of: ["org_no": "912345678"], side: .right, criteria: criteria) == ["0:912345678"])
        #expect(MergeKeys.keys(of: ["org_no": "n/a", "erp_number": ""], side: .right, criteria: criteria).isEmpty)
    }
}

@Suite("Equivalence from merge criteria")
struct EquivalenceTests {
    @Test("a formatted and a plain organization number are the same value, not a conflict")
    func formattedOrgNumber() {
        let flow = FlowDefinition(
            name: "customers", left: DatatypeRef(system: "erp", datatype: "customer"), right: DatatypeRef(system: "pms", datatype: "customer"),
            properties: [PropertyMapping(left: "organizationNumber", right: "org_no", leftType: .string, rightType: .string)],
            mergeCriteria: [MergeCriterion(pairs: [.init(left: "organizationNumber", right: "org_no", normalize: [.digitsOnly])])])
        let mapping = flow.properties[0]
        #expect(mapping.same(.text("975 473 898"), .text("975473898")))
        #expect(!mapping.same(.text("975 473 898"), .text("975473899")))
        let result = ThreeWayMerge.merge(
            flow: flow, left: MergeSide(current: ["organizationNumber": .text("975 473 898")], shadow: nil, changedAtMillis: 1),
            right: MergeSide(current: ["organizationNumber": .text("975473898")], shadow: nil, changedAtMillis: 2))
        #expect(result.isEmpty)
    }
}
