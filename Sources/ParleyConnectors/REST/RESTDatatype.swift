import ParleyConfig
import ParleyCore

/// One configured REST datatype at run time: reading records out of responses and writing bodies.
struct RESTDatatype: Sendable {
    let system: String
    let settings: RESTDatatypeSettings

    var name: String { settings.schema.name }
    var idField: String { settings.schema.idField }
    /// What a record's content hash covers.
    var hashFields: [String] { [idField] + settings.schema.properties.map(\.name) }

    func accepts(_ record: JSONValue) -> Bool {
        settings.filters.allSatisfy { $0.accepts(record) }
    }

    /// The records of a list response (at the configured pointer).
    func records(in body: JSONValue, context: String) throws -> [JSONValue] {
        guard let list = settings.recordsPointer.value(in: body) else {
            throw ConnectorError.invalidResponse(system: system, message: "\(context): no records at '\(settings.recordsPointer)'")
        }
        guard let items = list.arrayValue else {
            throw ConnectorError.invalidResponse(system: system, message: "\(context): '\(settings.recordsPointer)' is a \(list.typeName), expected a list")
        }
        return items
    }

    /// The record of a single-record response (at the configured pointer), or nil.
    func record(in body: JSONValue) -> JSONValue? {
        guard let record = settings.recordPointer.value(in: body), case .object = record else { return nil }
        return record
    }

    func idText(_ record: JSONValue) -> String? {
        switch record.value(at: idField) {
        case .string(let text) where !text.isEmpty: text
        case .number(let number): DecimalText(number)?.integerValue.map { String($0) } ?? number
        default: nil
        }
    }

    /// The id as it is written in bodies: a number for integer ids.
    func idValue(_ id: String) -> JSONValue {
        if settings.idIsInteger, let number = Int64(id) { return .int64(number) }
        return .string(id)
    }

    /// A change item for a record of a response; records that cannot be read are reported, not dropped.
    func item(_ json: JSONValue, etag: String? = nil) -> ChangeItem {
        do {
            return .record(try native(json, etag: etag))
        } catch {
            return .malformed(id: idText(json), reason: "\(error)")
        }
    }

    func native(_ json: JSONValue, etag: String?) throws -> NativeRecord {
        guard case .object = json else {
            throw ConnectorError.invalidResponse(system: system, message: "\(name): a record is a \(json.typeName), expected an object")
        }
        guard let id = idText(json) else {
            throw ConnectorError.invalidResponse(
                system: system, message: "\(name): a record has no usable id field '\(idField)' (expected \(settings.idIsInteger ? "an integer" : "a string"))")
        }
        var changedAt: Int64?
        if let marker = settings.changeMarker, let value = json.value(at: marker.field), !value.isNull {
            guard let millis = Self.millis(value, format: marker.format) else {
                throw ConnectorError.invalidResponse(
                    system: system,
                    message: "\(name) \(id): change marker '\(marker.field)' is not \(marker.format.rawValue): \(value.jsonText.prefix(40))")
            }
            changedAt = millis
        }
        var deleted = false
        if let field = settings.deletedField, let value = json.value(at: field) {
            switch value {
            case .null, .bool(false): deleted = false
            case .string(let text): deleted = !text.isEmpty
            default: deleted = true
            }
        }
        return NativeRecord(
            id: id, fields: json, changedAtMillis: changedAt, deleted: deleted, version: etag ?? ContentHash.of(json, fields: hashFields))
    }

    static func millis(_ value: JSONValue, format: TimeFormat) -> Int64? {
        switch (format, value) {
        case (.rfc3339, .string(let text)): return LenientTimestamp.millis(text)
        case (.epochMillis, _): return value.int64Value
        case (.epochSeconds, .number(let text)), (.epochSeconds, .string(let text)):
            return DecimalText(text)?.shifted(by: 3).rounded(toPlaces: 0).integerValue
        default: return nil
        }
    }

    static func format(_ millis: Int64, as format: TimeFormat) -> String {
        switch format {
        case .rfc3339: Timestamps.rfc3339(millis: millis)
        case .epochMillis: String(millis)
        case .epochSeconds: String(millis / 1000)
        }
    }

    /// A request body: `{"<wrap>": fields}` or the fields themselves.
    func wrapped(_ fields: JSONValue) -> JSONValue {
        guard let wrap = settings.wrap else { return fields }
        return .object([wrap: fields])
    }

    /// The create body: Parley's fields, then fixed values for fields it left empty, then computed values.
    func createBody(_ fields: JSONValue) -> JSONValue {
        var body = fields
        if case .object = body {} else { body = .object([:]) }
        for value in settings.onCreate {
            guard case .fixed(let fixed) = value.value, (body.value(at: value.field) ?? .null).isNull else { continue }
            body.setValue(fixed, at: value.field)
        }
        for value in settings.onCreate {
            guard case .template(let template) = value.value, (body.value(at: value.field) ?? .null).isNull else { continue }
            body.setValue(.string(template.render(body)), at: value.field)
        }
        return body
    }

    /// `changes` merged into `record`: objects merged key by key, everything else replaced.
    static func merged(_ record: JSONValue, _ changes: JSONValue) -> JSONValue {
        guard case .object(var base) = record, case .object(let patch) = changes else { return changes }
        for (key, value) in patch {
            if case .object = value, let existing = base[key], case .object = existing {
                base[key] = merged(existing, value)
            } else {
                base[key] = value
            }
        }
        return .object(base)
    }
}
