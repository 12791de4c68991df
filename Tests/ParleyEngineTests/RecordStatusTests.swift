import ParleyCore
import ParleyEngine
import Testing

/// The status and sentence of each state a record can be in (the API, the dashboard and `parley record` show them).
@Suite("A record's status")
struct RecordStatusTests {
    let facts = RecordStatus.FlowFacts(name: "customers", labels: [.left: "erp.customer", .right: "pms.customer"], deletes: "archive")

    func status(link: Link? = nil, staged: StagedState? = nil, reason: String? = nil, quarantine: String? = nil) -> RecordStatus {
        RecordStatus(
            flow: facts, side: .left, id: "7", link: link,
            staged: staged.map { StagedRecord(flow: "customers", side: .left, id: "7", state: $0, fields: .object([:]), changedAtMillis: nil, reason: reason) },
            quarantine: quarantine.map { QuarantineEntry(flow: "customers", side: .left, id: "7", reason: $0, attempts: 2, atMillis: 0) },
            history: [])
    }

    func link(_ state: LinkState, right: String? = "p-1") -> Link {
        Link(flow: "customers", leftId: "7", rightId: right, state: state, updatedAtMillis: 0)
    }

    @Test("quarantine comes first, then staging, then the link; each state says what it means")
    func sentences() {
        let cases: [(RecordStatus, RecordStatus.Status, String)] = [
            (status(link: link(.linked), quarantine: "pms rejected the record (HTTP 422)"), .quarantined,
             "quarantined (2 attempts): pms rejected the record (HTTP 422) — fix the cause, then retry it; it is not synced until then"),
            (status(staged: .unmatched, reason: "waits for the pending create of erp.customer 3's counterpart: the two share a merge key"), .unmatched,
             "seen, not matched yet: waits for the pending create of erp.customer 3's counterpart: the two share a merge key"),
            (status(staged: .unmatched), .unmatched, "seen, not matched yet: the next pass links it to a match in pms.customer or creates it there"),
            (status(link: link(.linked), staged: .deleted), .deletePending,
             "reported deleted; the next pass archives pms.customer p-1 once a read confirms it is gone (within the circuit breaker's limit)"),
            (status(staged: .dismissed, reason: "dismissed by an operator; was: matches 2"), .dismissed,
             "dismissed by an operator: neither linked nor created until it changes again (dismissed by an operator; was: matches 2)"),
            (status(staged: .excluded), .excluded,
             "existed before Parley first read this new-only side: not created in pms.customer, but linked if a record there matches it"),
            (status(link: link(.pendingRight, right: nil)), .creating,
             "its counterpart's create in pms.customer is pending (sent, not confirmed); the next pass confirms it or retries with the same idempotency key"),
            (status(link: link(.leftDeleted)), .deleted,
             "deleted in erp.customer; its counterpart was handled per the flow's policy (archive); the link is kept as history"),
            (status(link: link(.rightDeleted)), .deleted, "its counterpart pms.customer p-1 was deleted; this record was handled per the flow's policy (archive)"),
        ]
        for (record, expected, sentence) in cases {
            #expect(record.status == expected)
            #expect(record.summary == sentence)
        }
    }
}
