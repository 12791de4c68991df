import ParleyCore

/// Values set on create may name the source record's fields: `"PMS-{id}"`, `"{org_no}-{display_name}"`.
/// A placeholder whose field is empty renders as nothing.
enum CreateTemplate {
    static func render(_ value: JSONValue, source: JSONValue, sourceId: String) -> JSONValue {
        guard case .string(let text) = value, text.contains("{") else { return value }
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            if name == "id" {
                output += sourceId
            } else {
                switch source.value(at: name) {
                case .string(let s): output += s
                case .number(let n): output += n
                case .bool(let b): output += b ? "true" : "false"
                default: break
                }
            }
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return .string(output)
    }
}
