#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GRDB

extension SQLiteStore {
    /// The room is the smaller of the free space on the state's file system and what SQLite's page limit
    /// leaves (pages below `max_page_count`, plus free pages inside the file). Asked on the writer connection,
    /// which is where a page limit applies.
    public func ensureRoom(bytes: Int64) async throws {
        let directory = (pool.path as NSString).deletingLastPathComponent
        let room: Int64 = try await write { db in
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4_096
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let maxPages = try Int64.fetchOne(db, sql: "PRAGMA max_page_count") ?? Int64.max / 8_192
            let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            var room = (max(0, maxPages - pages) + free) * pageSize
            var stats = statvfs()
            if statvfs(directory.isEmpty ? "." : directory, &stats) == 0 {
                room = min(room, Int64(stats.f_bavail) * Int64(stats.f_frsize))
            }
            return room
        }
        if room < bytes { throw StoreError.nearlyFull(path: pool.path, roomBytes: room, neededBytes: bytes) }
    }
}
