import GRDB

extension SQLiteStore {
    /// Copies the whole state (consistently, WAL included) into a new file: dry runs work on such a copy so
    /// they can plan with real staging without touching the real state.
    public func copy(to path: String) throws -> SQLiteStore {
        do {
            let destination = try DatabaseQueue(path: path)
            try pool.backup(to: destination)
            try destination.close()
        } catch {
            throw StoreError.from(error, path: path)
        }
        return try SQLiteStore(path: path)
    }
}
