import ParleyCore

/// One property mapping as written: the property path on each side plus its options.
public struct PropertyConfig: Sendable, Hashable {
    /// The entry (`flows[0].properties[3]`).
    public var location: ConfigLocation
    public var left: Located<String>
    public var right: Located<String>
    public var conversion: Located<ConversionConfig>?
    /// The flow whose links translate this reference property.
    public var reference: Located<String>?
    /// The side that wins every conflict on this property.
    public var owner: Located<Side>?
    /// Restricts the flow's direction for this property; nil means the flow's direction.
    public var direction: Located<FlowDirection>?
    public var ignoreCase: Bool
    /// Explicit property types, overriding (or standing in for) the system's schema.
    public var types: [Side: Located<PropertyType>]

    public init(
        location: ConfigLocation, left: Located<String>, right: Located<String>, conversion: Located<ConversionConfig>? = nil,
        reference: Located<String>? = nil, owner: Located<Side>? = nil, direction: Located<FlowDirection>? = nil,
        ignoreCase: Bool = false, types: [Side: Located<PropertyType>] = [:]
    ) {
        self.location = location
        self.left = left
        self.right = right
        self.conversion = conversion
        self.reference = reference
        self.owner = owner
        self.direction = direction
        self.ignoreCase = ignoreCase
        self.types = types
    }

    public func path(on side: Side) -> Located<String> { side == .left ? left : right }
}

/// A `convert:` value.
public enum ConversionConfig: Sendable, Hashable {
    /// `negate`: booleans with opposite meaning.
    case negate
    /// `country-alpha2-alpha3`: ISO 3166 alpha-2 on the left, alpha-3 on the right.
    case countryAlpha2Alpha3
    /// `{scale: 100}`: right = left × 10^power (the file gives the factor, a power of ten).
    case scale(power: Int)
    /// `{map: {LEFT: right, …}}`: enum values, in the file's order.
    case map([EnumMapEntry])

    public var conversion: Conversion {
        switch self {
        case .negate: .negate
        case .countryAlpha2Alpha3: .countryAlpha2ToAlpha3
        case .scale(let power): .scale(power: power)
        case .map(let entries):
            .enumMap(Dictionary(entries.map { ($0.left, $0.right) }, uniquingKeysWith: { first, _ in first }))
        }
    }
}

/// One `LEFT: right` entry of an enum map.
public struct EnumMapEntry: Sendable, Hashable {
    public var left: String
    public var right: String
    public var location: ConfigLocation

    public init(left: String, right: String, location: ConfigLocation) {
        self.left = left
        self.right = right
        self.location = location
    }
}
