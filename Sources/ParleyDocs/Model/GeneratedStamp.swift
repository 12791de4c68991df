import ParleyCore

/// The "Generated:" timestamp, `YYYY-MM-DD HH:MM:SS` in UTC, computed without Foundation so the module
/// stays pure; callers pass the clock's reading, or a fixed date for reproducible documents.
public enum GeneratedStamp {
    public static func format(epochSeconds: Int64) -> String {
        let rfc3339 = Timestamps.rfc3339(millis: epochSeconds * 1000)
        // `2024-10-28T00:00:00.000Z` -> `2024-10-28 00:00:00`
        return String(rfc3339.prefix(10)) + " " + String(rfc3339.dropFirst(11).prefix(8))
    }

    /// Accepts `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` (UTC) or RFC 3339 with an
    /// offset (converted to UTC); nil for anything else.
    public static func parse(_ text: String) -> String? {
        let chars = Array(text)
        if chars.count == 10 { return Timestamps.validDate(text).map { $0 + " 00:00:00" } }
        var rfc3339 = text
        if chars.count == 19, chars[10] == " " || chars[10] == "T" {
            rfc3339 = String(chars[0..<10]) + "T" + String(chars[11...]) + "Z"
        }
        guard let millis = Timestamps.parseRFC3339(rfc3339) else { return nil }
        return format(epochSeconds: millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
    }
}
