/// One committed change, as delivered to webhooks.
struct ChangeEvent: Sendable {
    let system: String
    let collection: String
    let id: RecordID
    let change: WriteOutcome.Change
    let sequence: Int64
    let occurredAtMilliseconds: Int64
    let record: JSONObject

    init(system: String, datatype: DatatypeDefinition, outcome: WriteOutcome, change: WriteOutcome.Change) {
        self.system = system
        self.collection = datatype.collection
        self.id = outcome.record.id
        self.change = change
        self.sequence = outcome.record.seq
        self.occurredAtMilliseconds = outcome.record.markerMilliseconds
        self.record = outcome.record.representation(datatype)
    }

    func payload(deliveryID: String) -> JSONValue {
        .object([
            "deliveryId": .string(deliveryID),
            "system": .string(system),
            "collection": .string(collection),
            "id": id.json,
            "event": .string(change.rawValue),
            "sequence": .string(String(sequence)),
            "occurredAt": .string(Timestamp.rfc3339(milliseconds: occurredAtMilliseconds)),
            "record": .object(record),
        ])
    }
}
