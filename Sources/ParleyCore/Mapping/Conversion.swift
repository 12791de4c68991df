/// How the right side's value relates to the canonical (left) value of a property.
public enum Conversion: Sendable, Hashable {
    case none
    /// Booleans with opposite meaning (`isActive` <-> `archived`).
    case negate
    /// right = canonical × 10^power, rounded half away from zero when the right side is an integer.
    case scale(power: Int)
    /// Enum values, left value -> right value.
    case enumMap([String: String])
    /// ISO 3166 alpha-2 on the left, alpha-3 on the right.
    case countryAlpha2ToAlpha3

    public var summary: String {
        switch self {
        case .none: ""
        case .negate: "negated"
        case .scale(let power): "× 1\(String(repeating: "0", count: max(power, 0))), rounded"
        case .enumMap: "enum map"
        case .countryAlpha2ToAlpha3: "alpha-2 ↔ alpha-3"
        }
    }
}

/// Why a value could not be converted; names the property and what was expected.
public struct ConversionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var property: String
    public var message: String
    public init(property: String, message: String) {
        self.property = property
        self.message = message
    }
    public var description: String { "property '\(property)': \(message)" }
}

extension PropertyMapping {
    /// The longest text value Parley carries (1 MiB of UTF-8): a longer one is refused with the property's
    /// name instead of being staged, sent and refused by the other system without saying which property.
    public static let maxTextBytes = 1 << 20

    /// The canonical value of this property in a record of `side`. References are returned in the side's
    /// own id space; the engine translates right-side references to left ids.
    public func canonical(from fields: JSONValue, side: Side) throws(ConversionError) -> CanonicalValue {
        let path = self.path(on: side)
        let native = fields.value(at: path) ?? .null
        let parsed = try Self.parse(native, as: type(on: side), property: path)
        guard side == .right else { return parsed }
        return try inverseConvert(parsed, property: path)
    }

    /// The JSON value to write to `side` for a canonical value (references already in that side's id space).
    public func native(_ value: CanonicalValue, for side: Side) throws(ConversionError) -> JSONValue {
        let path = self.path(on: side)
        let converted = side == .right ? try convert(value, property: path) : value
        return try Self.render(converted, as: type(on: side), numericReference: side == .left ? reference?.leftNumeric ?? false : reference?.rightNumeric ?? false, property: path)
    }

    /// Whether two canonical values mean the same for this property.
    public func same(_ a: CanonicalValue, _ b: CanonicalValue) -> Bool {
        if a == b { return true }
        if a.isEmpty && b.isEmpty { return true }
        guard case .text(let x) = a, case .text(let y) = b else { return false }
        if ignoreCase, x.lowercased() == y.lowercased() { return true }
        if !equivalence.isEmpty {
            let normalize = { (text: String) in equivalence.reduce(text) { $1.apply($0) } }
            return normalize(x) == normalize(y)
        }
        return false
    }

    func convert(_ value: CanonicalValue, property: String) throws(ConversionError) -> CanonicalValue {
        if value == .null { return .null }
        switch conversion {
        case .none: return value
        case .negate:
            guard case .bool(let b) = value else { throw ConversionError(property: property, message: "expected a boolean to negate, got \(value.display)") }
            return .bool(!b)
        case .scale(let power):
            guard case .number(let d) = value else { throw ConversionError(property: property, message: "expected a number to scale, got \(value.display)") }
            return .number(d.shifted(by: power))
        case .enumMap(let map):
            guard case .text(let t) = value else { throw ConversionError(property: property, message: "expected an enum value, got \(value.display)") }
            guard let mapped = map[t] else {
                throw ConversionError(property: property, message: "value '\(t)' has no mapping (mapped: \(map.keys.sorted().joined(separator: ", ")))")
            }
            return .text(mapped)
        case .countryAlpha2ToAlpha3:
            guard case .text(let t) = value else { throw ConversionError(property: property, message: "expected a country code, got \(value.display)") }
            guard let alpha3 = Countries.alpha3(forAlpha2: t) else {
                throw ConversionError(property: property, message: "'\(t)' is not an ISO 3166 alpha-2 country code")
            }
            return .text(alpha3)
        }
    }

    func inverseConvert(_ value: CanonicalValue, property: String) throws(ConversionError) -> CanonicalValue {
        if value == .null { return .null }
        switch conversion {
        case .none: return value
        case .negate:
            guard case .bool(let b) = value else { throw ConversionError(property: property, message: "expected a boolean, got \(value.display)") }
            return .bool(!b)
        case .scale(let power):
            guard case .number(let d) = value else { throw ConversionError(property: property, message: "expected a number, got \(value.display)") }
            return .number(d.shifted(by: -power))
        case .enumMap(let map):
            guard case .text(let t) = value else { throw ConversionError(property: property, message: "expected an enum value, got \(value.display)") }
            guard let original = map.first(where: { $0.value == t })?.key else {
                throw ConversionError(property: property, message: "value '\(t)' has no mapping (mapped: \(map.values.sorted().joined(separator: ", ")))")
            }
            return .text(original)
        case .countryAlpha2ToAlpha3:
            guard case .text(let t) = value else { throw ConversionError(property: property, message: "expected a country code, got \(value.display)") }
            guard let alpha2 = Countries.alpha2(forAlpha3: t) else {
                throw ConversionError(property: property, message: "'\(t)' is not an ISO 3166 alpha-3 country code")
            }
            return .text(alpha2)
        }
    }

    static func parse(_ native: JSONValue, as type: PropertyType, property: String) throws(ConversionError) -> CanonicalValue {
        if native == .null { return .null }
        func mismatch() -> ConversionError {
            ConversionError(property: property, message: "expected \(type.rawValue), got \(native.typeName) \(native.jsonText.prefix(60))")
        }
        switch type {
        case .string, .enum:
            guard case .string(let s) = native else { throw mismatch() }
            guard s.utf8.count <= maxTextBytes else {
                throw ConversionError(property: property, message: "text of \(s.utf8.count) bytes; Parley carries at most \(maxTextBytes) bytes per value")
            }
            return .text(s)
        case .integer, .float, .decimal:
            switch native {
            case .number(let text):
                guard let d = DecimalText(text) else { throw mismatch() }
                return .number(d)
            case .string(let text):
                guard let d = DecimalText(text) else { throw mismatch() }
                return .number(d)
            default: throw mismatch()
            }
        case .boolean:
            guard case .bool(let b) = native else { throw mismatch() }
            return .bool(b)
        case .date:
            guard case .string(let s) = native else { throw mismatch() }
            guard let date = Timestamps.validDate(s) else {
                throw ConversionError(property: property, message: "expected a date YYYY-MM-DD, got '\(s.prefix(40))'")
            }
            return .date(date)
        case .datetime:
            switch native {
            case .string(let s):
                guard let ms = Timestamps.parseRFC3339(s) else {
                    throw ConversionError(property: property, message: "expected an RFC 3339 datetime, got '\(s.prefix(40))'")
                }
                return .datetime(ms)
            case .number:
                guard let ms = native.int64Value else { throw mismatch() }
                return .datetime(ms)
            default: throw mismatch()
            }
        case .reference:
            switch native {
            case .string(let s): return .reference(s)
            case .number(let n): return .reference(DecimalText(n)?.description ?? n)
            default: throw mismatch()
            }
        }
    }

    static func render(_ value: CanonicalValue, as type: PropertyType, numericReference: Bool, property: String) throws(ConversionError) -> JSONValue {
        func mismatch() -> ConversionError {
            ConversionError(property: property, message: "cannot write \(value.display) as \(type.rawValue)")
        }
        switch (value, type) {
        case (.null, _): return .null
        case (.text(let s), .string), (.text(let s), .enum): return .string(s)
        case (.number(let d), .integer):
            return .number(d.rounded(toPlaces: 0).description)
        case (.number(let d), .float), (.number(let d), .decimal): return .number(d.description)
        case (.number(let d), .string): return .string(d.description)
        case (.bool(let b), .boolean): return .bool(b)
        case (.date(let d), .date), (.date(let d), .string): return .string(d)
        case (.datetime(let ms), .datetime), (.datetime(let ms), .string): return .string(Timestamps.rfc3339(millis: ms))
        case (.datetime(let ms), .integer): return .int64(ms)
        case (.reference(let id), .reference):
            if numericReference, let number = Int64(id) { return .int64(number) }
            return .string(id)
        default: throw mismatch()
        }
    }
}
