/// A parsed `If-Match` header: `*` or a list of entity tags (`"3"`, `W/"3"` and bare `3` are accepted).
struct IfMatch: Sendable, CustomStringConvertible {
    let raw: String
    private let anyVersion: Bool
    private let versions: [Int64]

    init(header: String) {
        raw = header
        let tags = header.split(separator: ",").map { $0.trimming(" \t") }
        anyVersion = tags.contains("*")
        versions = tags.compactMap { tag in
            var text = Substring(tag)
            if text.hasPrefix("W/") { text = text.dropFirst(2) }
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
            return Int64(text)
        }
    }

    func matches(version: Int64) -> Bool {
        anyVersion || versions.contains(version)
    }

    var description: String { raw }
}

extension StringProtocol {
    func trimming(_ characters: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
