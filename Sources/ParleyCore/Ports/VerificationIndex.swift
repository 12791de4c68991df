/// Disk-backed scratch space for `verify`, so checking millions of records needs memory for one page only.
public protocol VerificationIndex: Sendable {
    /// Records one side's live record: its canonical values (JSON) and merge keys.
    func put(side: Side, records: [(id: String, values: JSONValue, keys: [String])]) async throws
    /// Canonical values of the given ids of a side.
    func values(side: Side, ids: [String]) async throws -> [String: JSONValue]
    func markSeen(side: Side, ids: [String]) async throws
    /// Records of a side not marked seen, in id order after `after`.
    func unseen(side: Side, after: String?, limit: Int) async throws -> [String]
    /// Merge keys held by more than one record of a side: key -> ids (at most `limit` keys).
    func duplicateKeys(side: Side, limit: Int) async throws -> [String: [String]]
    func count(side: Side) async throws -> Int
    func close() async
}
