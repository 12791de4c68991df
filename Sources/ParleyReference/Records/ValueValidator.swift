/// Checks one property value against its declared type and normalizes it the way the system stores it.
struct ValueValidator: Sendable {
    let system: SystemDefinition

    func normalize(_ value: JSONValue, for property: PropertyDefinition, subject: RecordSubject) throws(ReferenceError) -> JSONValue {
        if value.isNull {
            if let defaultValue = property.defaultValue { return defaultValue }
            if property.required {
                throw .validation(subject, property.name, "is required and cannot be null")
            }
            return .null
        }
        switch property.type {
        case .string:
            return try normalizeString(value, property, subject)
        case .integer:
            guard let number = value.numberValue, number.isPlainInteger, let integer = number.int64Value else {
                throw .validation(subject, property.name, "must be an integer (a JSON number without fraction); got \(value.jsonText)")
            }
            return .integer(integer)
        case .float:
            guard let number = value.numberValue, let double = number.doubleValue, double.isFinite else {
                throw .validation(subject, property.name, "must be a number; got \(value.jsonText)")
            }
            return .number(number)
        case .decimal(let scale, let maximumIntegerDigits):
            guard let number = value.numberValue else {
                throw .validation(subject, property.name, "must be a decimal JSON number such as 1234.50; got \(value.jsonText)")
            }
            do {
                let text = try DecimalText.rounded(number.text, scale: scale, maximumIntegerDigits: maximumIntegerDigits)
                return .number(JSONNumber(validatedText: text))
            } catch {
                throw .validation(subject, property.name, "must have at most \(maximumIntegerDigits) digits before the decimal point; got \(number.text)")
            }
        case .boolean:
            guard value.boolValue != nil else {
                throw .validation(subject, property.name, "must be true or false; got \(value.jsonText)")
            }
            return value
        case .date:
            guard let text = value.stringValue, let date = CalendarDate(parsing: text) else {
                throw .validation(subject, property.name, "must be a calendar date written YYYY-MM-DD; got \(value.jsonText)")
            }
            return .string(date.text)
        case .datetime:
            guard let text = value.stringValue, let milliseconds = Timestamp.parseRFC3339(text) else {
                throw .validation(subject, property.name, "must be an RFC 3339 date-time such as 2026-11-29T10:00:00.123Z; got \(value.jsonText)")
            }
            return .string(Timestamp.rfc3339(milliseconds: milliseconds))
        case .enumeration(let allowed):
            guard let text = value.stringValue, allowed.contains(text) else {
                throw .validation(subject, property.name, "must be one of \(allowed.joined(separator: ", ")); got \(value.jsonText)")
            }
            return value
        case .reference(let target):
            guard let targetDatatype = system.datatype(named: target) else {
                throw ReferenceError(.internalError, "\(subject): property '\(property.name)' references unknown datatype '\(target)'")
            }
            guard let id = RecordID.parse(json: value, kind: targetDatatype.idKind) else {
                let shape = targetDatatype.idKind == .uuid ? "a UUID string" : "a positive integer"
                throw .validation(subject, property.name, "must be the id of a \(target) (\(shape)); got \(value.jsonText)")
            }
            return id.json
        }
    }

    private func normalizeString(_ value: JSONValue, _ property: PropertyDefinition, _ subject: RecordSubject) throws(ReferenceError) -> JSONValue {
        guard var text = value.stringValue else {
            throw .validation(subject, property.name, "must be a string; got \(value.jsonText)")
        }
        if system.trimsStrings { text = text.trimmingWhitespace }
        for transform in property.transforms {
            switch transform {
            case .trim: text = text.trimmingWhitespace
            case .lowercase: text = text.lowercased()
            case .uppercase: text = text.uppercased()
            }
        }
        let blank = text.trimmingWhitespace.isEmpty
        if property.required, blank {
            throw .validation(subject, property.name, "is required and must not be blank")
        }
        if blank { return .string(text) }
        switch property.format {
        case .plain:
            break
        case .email:
            guard Self.looksLikeEmail(text) else {
                throw .validation(subject, property.name, "must be an e-mail address such as name@example.com; got \(value.jsonText)")
            }
        case .countryAlpha2:
            guard CountryCodes.isAlpha2(text) else {
                throw .validation(subject, property.name, "must be an ISO 3166-1 alpha-2 country code such as NO, SE or DK; got \(value.jsonText)")
            }
        case .countryAlpha3:
            guard CountryCodes.isAlpha3(text) else {
                throw .validation(subject, property.name, "must be an ISO 3166-1 alpha-3 country code such as NOR, SWE or DNK; got \(value.jsonText)")
            }
        }
        return .string(text)
    }

    /// One `@`, a non-empty local part, a dotted domain, no whitespace.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: \.isWhitespace) else { return false }
        let domainLabels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domainLabels.count >= 2 && domainLabels.allSatisfy { !$0.isEmpty }
    }
}

extension String {
    var trimmingWhitespace: String {
        if let first = unicodeScalars.first, let last = unicodeScalars.last,
           !first.properties.isWhitespace, !last.properties.isWhitespace {
            return self
        }
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}
