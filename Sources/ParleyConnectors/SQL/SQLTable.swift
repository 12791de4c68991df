import Foundation
import ParleyConfig
import ParleyCore

/// One configured SQL datatype at run time: its columns, how rows become records and values become
/// bound parameters.
struct SQLTable: Sendable {
    struct Column: Sendable {
        var property: PropertySchema
        var name: SQLName
        /// For references: whether the referenced datatype's ids are integers.
        var referenceIsInteger: Bool
    }

    let system: String
    let settings: SQLDatatypeSettings
    let dialect: SQLDialect
    let columns: [Column]

    init(system: String, settings: SQLDatatypeSettings, dialect: SQLDialect, integerIds: Set<String>) {
        self.system = system
        self.settings = settings
        self.dialect = dialect
        columns = settings.schema.properties.compactMap { property in
            settings.columns[property.name].map {
                Column(property: property, name: $0, referenceIsInteger: property.references.map(integerIds.contains) ?? false)
            }
        }
    }

    var name: String { settings.schema.name }
    var idField: String { settings.schema.idField }
    var idIsInteger: Bool { settings.schema.idType == .integer }
    var hashFields: [String] { [idField] + columns.map(\.property.name) }

    // MARK: - Reading

    /// The select list: id, change marker, soft-delete flag, then the properties.
    var selectList: String {
        var names = [settings.idColumn]
        if let marker = settings.changeMarker { names.append(marker.column) }
        if let softDelete = settings.softDelete { names.append(softDelete.column) }
        names += columns.map(\.name)
        return names.map { dialect == .postgres ? "\($0.quoted)::text" : $0.quoted }.joined(separator: ", ")
    }

    /// A row read with `selectList`, as a change item (a value that cannot be read quarantines the record).
    func item(_ row: [SQLValue]) -> ChangeItem {
        do {
            return .record(try record(row))
        } catch {
            return .malformed(id: row.first.flatMap(\.text), reason: "\(error)")
        }
    }

    /// The marker value of a row (as the cursor keeps it) and the row's id.
    func position(_ row: [SQLValue]) -> (marker: SQLValue, id: SQLValue)? {
        guard settings.changeMarker != nil, row.count > 1 else { return nil }
        return (row[1], row[0])
    }

    func record(_ row: [SQLValue]) throws -> NativeRecord {
        guard let id = row.first?.text, !id.isEmpty else {
            throw ConnectorError.invalidResponse(system: system, message: "\(name): a row of \(settings.readFrom) has no id in column '\(settings.idColumn)'")
        }
        var index = 1
        var fields: JSONValue = .object([:])
        fields.setValue(idIsInteger ? (Int64(id).map(JSONValue.int64) ?? .string(id)) : .string(id), at: idField)
        var changedAt: Int64?
        var version: String?
        if let marker = settings.changeMarker {
            let value = row[index]
            index += 1
            if !value.isNull {
                guard let millis = Self.millis(value, kind: marker.kind) else {
                    throw ConnectorError.invalidResponse(
                        system: system, message: "\(name) \(id): change marker '\(marker.column)' is not a \(marker.kind.rawValue): '\(value.text?.prefix(40) ?? "")'")
                }
                changedAt = millis
                version = value.text
            }
        }
        var deleted = false
        if settings.softDelete != nil {
            deleted = Self.isSet(row[index])
            index += 1
        }
        for column in columns {
            let value = row[index]
            index += 1
            fields.setValue(try json(value, for: column, id: id), at: column.property.name)
        }
        if settings.changeMarker == nil { version = ContentHash.of(fields, fields: hashFields) }
        return NativeRecord(id: id, fields: fields, changedAtMillis: changedAt, deleted: deleted, version: version)
    }

    static func millis(_ value: SQLValue, kind: SQLDatatypeSettings.MarkerKind) -> Int64? {
        switch (kind, value) {
        case (_, .integer(let number)): number
        case (.epochMillis, .text(let text)): Int64(text)
        case (.datetime, .text(let text)): LenientTimestamp.millis(text)
        case (.epochMillis, .real(let number)): Int64(exactly: number.rounded())
        default: nil
        }
    }

    static func isSet(_ value: SQLValue) -> Bool {
        switch value {
        case .null: false
        case .integer(let number): number != 0
        case .real(let number): number != 0
        case .text(let text): !["", "f", "false", "0"].contains(text.lowercased())
        }
    }

    /// A column value as the JSON the configured type calls for.
    func json(_ value: SQLValue, for column: Column, id: String) throws -> JSONValue {
        let property = column.property
        func mismatch() -> ConnectorError {
            ConnectorError.invalidResponse(
                system: system,
                message: "\(name) \(id): property '\(property.name)' (column \(column.name)) is not a valid \(property.type.rawValue): '\(value.text?.prefix(40) ?? "")'")
        }
        if value.isNull { return .null }
        switch property.type {
        case .string, .enum:
            guard let text = value.text else { throw mismatch() }
            return .string(text)
        case .integer, .float, .decimal:
            guard let text = value.text, let number = DecimalText(text) else { throw mismatch() }
            return .number(number.description)
        case .boolean:
            switch value {
            case .integer(let number): return .bool(number != 0)
            case .text(let text):
                switch text.lowercased() {
                case "true", "t", "1": return .bool(true)
                case "false", "f", "0": return .bool(false)
                default: throw mismatch()
                }
            default: throw mismatch()
            }
        case .date:
            guard let text = value.text, text.count >= 10, let date = Timestamps.validDate(String(text.prefix(10))) else { throw mismatch() }
            return .string(date)
        case .datetime:
            guard let millis = Self.millis(value, kind: value.isInteger ? .epochMillis : .datetime) else { throw mismatch() }
            return .string(Timestamps.rfc3339(millis: millis))
        case .reference:
            guard let text = value.text else { throw mismatch() }
            if column.referenceIsInteger, let number = Int64(text) { return .int64(number) }
            return .string(text)
        }
    }

    // MARK: - Writing

    /// The bound value for an id; nil when the id cannot exist (a non-number for integer ids).
    func idValue(_ id: String) -> SQLValue? {
        guard idIsInteger else { return .text(id) }
        return Int64(id).map(SQLValue.integer)
    }

    /// The columns and values a patch writes. Fields that are not configured properties are refused.
    func assignments(_ fields: JSONValue, id: String?) throws -> [(SQLName, SQLValue)] {
        var result: [(SQLName, SQLValue)] = []
        var known = Set<String>()
        for column in columns {
            known.insert(column.property.name)
            guard let value = fields.value(at: column.property.name) else { continue }
            result.append((column.name, try sqlValue(value, for: column, id: id)))
        }
        for path in Self.leafPaths(fields) where !known.contains(path) && path != idField {
            throw ConnectorError.rejected(
                system: system, status: 422, message: "\(name)\(id.map { " \($0)" } ?? ""): '\(path)' is not a configured property", property: path)
        }
        return result
    }

    func sqlValue(_ value: JSONValue, for column: Column, id: String?) throws -> SQLValue {
        let property = column.property
        func mismatch(_ expected: String) -> ConnectorError {
            ConnectorError.rejected(
                system: system, status: 422,
                message: "\(name)\(id.map { " \($0)" } ?? ""): property '\(property.name)' expects \(expected), got \(value.typeName) \(value.jsonText.prefix(40))",
                property: property.name)
        }
        if value.isNull { return .null }
        switch property.type {
        case .string, .enum:
            guard case .string(let text) = value else { throw mismatch("text") }
            if let values = property.values, property.type == .enum, !values.contains(text) {
                throw mismatch("one of \(values.joined(separator: ", "))")
            }
            return .text(text)
        case .integer:
            guard let number = value.int64Value else { throw mismatch("a whole number") }
            return .integer(number)
        case .float:
            guard let text = value.numberText ?? value.stringValue, DecimalText(text) != nil, let number = Double(text) else { throw mismatch("a number") }
            return dialect == .postgres ? .text(text) : .real(number)
        case .decimal:
            guard let text = value.numberText ?? value.stringValue, let number = DecimalText(text) else { throw mismatch("a decimal number") }
            return .text(number.description)
        case .boolean:
            guard case .bool(let flag) = value else { throw mismatch("true or false") }
            return dialect == .postgres ? .text(flag ? "true" : "false") : .integer(flag ? 1 : 0)
        case .date:
            guard case .string(let text) = value, Timestamps.validDate(text) != nil else { throw mismatch("a date YYYY-MM-DD") }
            return .text(text)
        case .datetime:
            switch value {
            case .string(let text):
                guard let millis = LenientTimestamp.millis(text) else { throw mismatch("an RFC 3339 time") }
                return .text(Timestamps.rfc3339(millis: millis))
            case .number:
                guard let millis = value.int64Value else { throw mismatch("an RFC 3339 time") }
                return .text(Timestamps.rfc3339(millis: millis))
            default: throw mismatch("an RFC 3339 time")
            }
        case .reference:
            let text: String
            switch value {
            case .string(let string): text = string
            case .number(let number): text = DecimalText(number)?.description ?? number
            default: throw mismatch("an id")
            }
            if column.referenceIsInteger {
                guard let number = Int64(text) else { throw mismatch("an integer id") }
                return .integer(number)
            }
            return .text(text)
        }
    }

    /// The current time as the change marker or a soft-delete time stamp is written.
    func now(kind: SQLDatatypeSettings.MarkerKind, millis: Int64) -> SQLValue {
        kind == .epochMillis ? .integer(millis) : .text(Timestamps.rfc3339(millis: millis))
    }

    static func leafPaths(_ value: JSONValue, prefix: String = "") -> [String] {
        guard case .object(let object) = value else { return prefix.isEmpty ? [] : [prefix] }
        if object.isEmpty, !prefix.isEmpty { return [prefix] }
        return object.flatMap { key, child in leafPaths(child, prefix: prefix.isEmpty ? key : "\(prefix).\(key)") }
    }
}

extension SQLValue {
    var isInteger: Bool { if case .integer = self { true } else { false } }
}
