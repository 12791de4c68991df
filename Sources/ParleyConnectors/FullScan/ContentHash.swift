import Crypto
import ParleyCore

/// A record's content hash over the fields Parley cares about (its id and the configured properties), so
/// volatile fields a system adds (`fetched_at`) never count as changes. Numbers are compared by value
/// (`1.50` = `1.5`); object keys are sorted.
enum ContentHash {
    static func of(_ record: JSONValue, fields: [String]) -> String {
        var selected: [String: JSONValue] = [:]
        for field in fields {
            selected[field] = normalized(record.value(at: field) ?? .null)
        }
        let digest = SHA256.hash(data: Array(JSONValue.object(selected).jsonText.utf8))
        return digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let text): DecimalText(text).map { .number($0.description) } ?? value
        case .array(let items): .array(items.map(normalized))
        case .object(let object): .object(object.mapValues(normalized))
        default: value
        }
    }
}
