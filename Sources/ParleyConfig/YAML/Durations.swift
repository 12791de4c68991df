/// Durations written as whole numbers with units: `500ms`, `5s`, `2m`, `1h`, or combined (`1m30s`).
enum Durations {
    static func millis(_ text: String) -> Int? {
        var total = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let amount = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let factor: Int
            switch unit {
            case "ms": factor = 1
            case "s": factor = 1_000
            case "m": factor = 60_000
            case "h": factor = 3_600_000
            default: return nil
            }
            total += amount * factor
        }
        return total
    }
}
