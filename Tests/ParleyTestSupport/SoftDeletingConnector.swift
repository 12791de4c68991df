import ParleyCore

/// A connector that answers reads of the given records as deleted, as a system with soft deletes does (the row
/// is still there, flagged): its change feed is left as it is.
public struct SoftDeletingConnector: ForwardingConnector {
    public let base: any Connector
    public let ids: Set<String>

    public init(base: any Connector, ids: Set<String>) {
        self.base = base
        self.ids = ids
    }

    public func fetch(datatype: String, id: String) async throws -> NativeRecord? {
        guard var record = try await base.fetch(datatype: datatype, id: id) else { return nil }
        if ids.contains(id) { record.deleted = true }
        return record
    }
}
