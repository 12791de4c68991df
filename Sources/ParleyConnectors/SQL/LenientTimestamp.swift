import Foundation
import ParleyCore

/// Time stamps as databases and APIs write them: RFC 3339 (`2026-01-05T10:00:00Z`), with a space instead of
/// `T`, without an offset (taken as UTC), or with PostgreSQL's short offsets (`+00`, `+0530`).
enum LenientTimestamp {
    static func millis(_ text: String) -> Int64? {
        if let millis = Timestamps.parseRFC3339(text) { return millis }
        var body = text.trimmingCharacters(in: .whitespaces)
        guard body.count >= 19 else {
            // A bare date is midnight UTC.
            if Timestamps.validDate(body) != nil { return Timestamps.parseRFC3339(body + "T00:00:00Z") }
            return nil
        }
        let timeStart = body.index(body.startIndex, offsetBy: 19)
        let tail = body[timeStart...]
        if let signIndex = tail.firstIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = body[body.index(after: signIndex)...].filter { $0 != ":" }
            guard offset.count == 2 || offset.count == 4, offset.allSatisfy(\.isNumber) else { return nil }
            let hours = offset.prefix(2)
            let minutes = offset.count == 4 ? offset.suffix(2) : "00"
            body = String(body[..<body.index(after: signIndex)]) + hours + ":" + minutes
        } else if !(tail.hasSuffix("Z") || tail.hasSuffix("z")) {
            body += "Z"
        }
        return Timestamps.parseRFC3339(body)
    }
}
