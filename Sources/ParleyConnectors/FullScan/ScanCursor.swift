/// The cursor of a full-scan feed. `fs:<generation>` means every change of that scan generation was
/// processed (its hashes are the base of the next scan); `fs:<generation>:<base>:<position>` is a scan
/// being paged through. Both are opaque to the engine, which stores whatever `next` it was given.
enum ScanCursor: Equatable {
    case start
    case complete(generation: Int64)
    case paging(generation: Int64, base: Int64, position: Int)

    init?(_ text: String?) {
        guard let text else {
            self = .start
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.first == "fs" else { return nil }
        switch parts.count {
        case 2:
            guard let generation = Int64(parts[1]) else { return nil }
            self = .complete(generation: generation)
        case 4:
            guard let generation = Int64(parts[1]), let base = Int64(parts[2]), let position = Int(parts[3]), position >= 0 else { return nil }
            self = .paging(generation: generation, base: base, position: position)
        default:
            return nil
        }
    }

    var text: String {
        switch self {
        case .start: "fs:0"
        case .complete(let generation): "fs:\(generation)"
        case .paging(let generation, let base, let position): "fs:\(generation):\(base):\(position)"
        }
    }
}
