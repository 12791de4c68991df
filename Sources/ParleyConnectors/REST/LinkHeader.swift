import Foundation
/// Reads the `rel="next"` target of an RFC 8288 `Link` header: `<https://api/x?page=2>; rel="next", <…>; rel="last"`.
enum LinkHeader {
    static func next(_ header: String?) -> String? {
        guard let header else { return nil }
        for link in header.split(separator: ",") {
            let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isNext = parts.dropFirst().contains { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { return false }
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.split(separator: " ").contains { $0.lowercased() == "next" }
            }
            if isNext { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }
}
