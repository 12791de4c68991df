import GRDB

/// A store failure, with what an operator needs to act on it.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case unavailable(path: String, message: String)
    case readOnly(path: String)
    case full(path: String)
    case failed(path: String, message: String)
    /// Less room than a pass needs to record its work (checked before anything is sent to a system).
    case nearlyFull(path: String, roomBytes: Int64, neededBytes: Int64)

    public var description: String {
        switch self {
        case .unavailable(let path, let message): "state store \(path) cannot be opened: \(message)"
        case .readOnly(let path): "state store \(path) is read-only: Parley stopped before writing anything it could not record"
        case .full(let path): "state store \(path) is full (disk full): Parley stopped before writing anything it could not record"
        case .failed(let path, let message): "state store \(path) failed: \(message)"
        case .nearlyFull(let path, let room, let needed):
            "state store \(path) is full (disk nearly full or size limit reached): \(Self.megabytes(room)) left, a pass needs at least "
                + "\(Self.megabytes(needed)); Parley stopped before sending anything to a system. Free disk space, then run again."
        }
    }

    static func megabytes(_ bytes: Int64) -> String {
        let tenths = max(0, bytes) * 10 / 1_048_576
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    static func from(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_READONLY: return .readOnly(path: path)
            case .SQLITE_FULL: return .full(path: path)
            default: return .failed(path: path, message: error.message ?? "\(error.resultCode)")
            }
        }
        return .failed(path: path, message: "\(error)")
    }
}
