/// Reads `convert:`: `negate`, `country-alpha2-alpha3`, `{scale: 100}` or `{map: {LEFT: right, …}}`.
enum ConversionParser {
    static let names = ["negate", "country-alpha2-alpha3", "scale", "map"]
    static let expected = "expected negate, country-alpha2-alpha3, {scale: N} or {map: {…}}"

    static func parse(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> ConversionConfig? {
        switch node.content {
        case .scalar(let text, _):
            switch text {
            case "negate": return .negate
            case "country-alpha2-alpha3": return .countryAlpha2Alpha3
            case "scale", "map":
                issues.add(location, "'\(text)' needs a value: write {\(text): …}")
                return nil
            default:
                issues.add(location, "unknown conversion '\(text)'\(Suggestions.hint(for: text, in: names)); \(expected)")
                return nil
            }
        case .mapping(let entries):
            guard entries.count == 1, let entry = entries.first else {
                issues.add(location, "a conversion is a single {scale: …} or {map: …}; \(expected)")
                return nil
            }
            let valueLocation = ConfigLocation(path: ConfigPath.key(entry.key, in: location.path), line: entry.value.line)
            switch entry.key {
            case "scale": return parseScale(entry.value, at: valueLocation, issues: &issues)
            case "map": return parseMap(entry.value, at: valueLocation, issues: &issues)
            default:
                issues.add(
                    ConfigLocation(path: valueLocation.path, line: entry.keyLine),
                    "unknown conversion '\(entry.key)'\(Suggestions.hint(for: entry.key, in: names)); \(expected)"
                )
                return nil
            }
        case .null, .sequence, .invalid:
            issues.expected("negate, country-alpha2-alpha3, {scale: N} or {map: {…}}", found: node, at: location)
            return nil
        }
    }

    /// The factor must be a power of ten: 10, 100, 1000 … (or 0.1, 0.01 … to divide).
    private static func parseScale(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> ConversionConfig? {
        guard let text = Scalars.text(node, at: location, issues: &issues) else { return nil }
        if let power = powerOfTen(text) { return .scale(power: power) }
        issues.add(location, "expected a power of ten such as 10, 100 or 0.01 (right = left × factor), found '\(text)'")
        return nil
    }

    static func powerOfTen(_ text: String) -> Int? {
        if text.first == "1", text.dropFirst().allSatisfy({ $0 == "0" }), text.count <= 19 { return text.count - 1 }
        if text.hasPrefix("0."), text.last == "1" {
            let zeros = text.dropFirst(2).dropLast()
            guard zeros.allSatisfy({ $0 == "0" }), zeros.count < 18 else { return nil }
            return -(zeros.count + 1)
        }
        return nil
    }

    private static func parseMap(_ node: ConfigNode, at location: ConfigLocation, issues: inout IssueList) -> ConversionConfig? {
        guard case .mapping(let entries) = node.content else {
            issues.expected("a mapping of left values to right values", found: node, at: location)
            return nil
        }
        guard !entries.isEmpty else {
            issues.add(location, "the map is empty")
            return nil
        }
        var mapped: [EnumMapEntry] = []
        for entry in entries {
            let entryLocation = ConfigLocation(path: ConfigPath.key(entry.key, in: location.path), line: entry.value.line ?? entry.keyLine)
            guard let right = Scalars.text(entry.value, at: entryLocation, issues: &issues) else { continue }
            mapped.append(EnumMapEntry(left: entry.key, right: right, location: entryLocation))
        }
        return mapped.count == entries.count ? .map(mapped) : nil
    }
}
