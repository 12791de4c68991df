import Foundation
import ParleyBench
import ParleyCore
import Testing

@Suite struct CreatedIdsTests {
    @Test func uuidIdsAreVersionFourUUIDsTheSameInEveryRun() {
        let first = CreatedIds.uuid.id(0)
        #expect(first == CreatedIds.uuid.id(0))
        let parsed = UUID(uuidString: first)
        #expect(parsed?.uuidString.lowercased() == first)
        #expect(Array(first)[14] == "4")
        #expect(["8", "9", "a", "b"].contains(Array(first)[19]))
    }

    @Test func uuidIdsAreDistinctAndUnordered() {
        let ids = (0..<100_000).map(CreatedIds.uuid.id)
        #expect(Set(ids).count == 100_000)
        // Random places: about half of consecutive ids go down in text order (sequential ids never do).
        let descents = zip(ids, ids.dropFirst()).filter { $0 > $1 }.count
        #expect((45_000...55_000).contains(descents))
        #expect(CreatedIds.sequential.id(42) == "42")
    }

    @Test func theSyntheticTargetAnswersCreatesWithTheChosenIds() async throws {
        let schema = DatatypeSchema(
            name: "thing", collection: "things", idField: "id", idType: .string, changeMarker: "changed", changeMarkerType: .integer, properties: [])
        let target = SyntheticConnector(system: "b", datatype: schema, generated: 0, createdIds: .uuid) { _ in .object([:]) }
        let created = try await target.create(datatype: "thing", fields: .object([:]), idempotencyKey: "k")
        #expect(created.id == CreatedIds.uuid.id(0))
        #expect(try await target.fetch(datatype: "thing", id: created.id)?.id == created.id)
    }
}
