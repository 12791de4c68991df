/// Expands `${NAME}` and `${NAME:-default}` in a scalar (`$$` is a literal `$`). As in the shell, the
/// default applies when the variable is unset or empty. Problems never quote the scalar's text, which may
/// be a secret.
enum EnvExpansion {
    enum Problem: Sendable, Hashable {
        case missing(name: String)
        case unterminated
        case invalidName

        var message: String {
            switch self {
            case .missing(let name):
                "environment variable \(name) is not set (write ${\(name):-default} to give a default)"
            case .unterminated: "unterminated '${' (write '$$' for a literal '$')"
            case .invalidName: "invalid environment variable name in '${…}' (expected letters, digits and '_')"
            }
        }
    }

    static func expand(_ text: String, environment: [String: String]) -> (text: String, problems: [Problem]) {
        guard text.contains("$") else { return (text, []) }
        var output = ""
        var problems: [Problem] = []
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let afterDollar = rest.index(after: dollar)
            if rest[afterDollar...].hasPrefix("$") {
                output += "$"
                rest = rest[rest.index(after: afterDollar)...]
                continue
            }
            guard rest[afterDollar...].hasPrefix("{") else {
                output += "$"
                rest = rest[afterDollar...]
                continue
            }
            let bodyStart = rest.index(after: afterDollar)
            guard let close = rest[bodyStart...].firstIndex(of: "}") else {
                problems.append(.unterminated)
                return (output, problems)
            }
            let body = rest[bodyStart..<close]
            rest = rest[rest.index(after: close)...]
            let name: Substring
            let fallback: Substring?
            if let separator = body.range(of: ":-") {
                name = body[..<separator.lowerBound]
                fallback = body[separator.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            guard isValidName(name) else {
                problems.append(.invalidName)
                continue
            }
            if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                problems.append(.missing(name: String(name)))
            }
        }
        output += rest
        return (output, problems)
    }

    private static func isValidName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
