import ParleyCore

/// One flow as written in the file: names, sides and settings, each remembering where it was written.
/// `resolveFlows` turns it into a ParleyCore `FlowDefinition` once the systems' schemas are known.
public struct FlowConfig: Sendable, Hashable {
    public var name: Located<String>
    /// The flow's entry (`flows[0]`).
    public var location: ConfigLocation
    public var left: Located<DatatypeRef>
    public var right: Located<DatatypeRef>
    public var direction: Located<FlowDirection>
    /// The side that wins conflicts that newest-wins cannot decide; nil means the left side.
    public var priority: Located<Side>?
    public var deletes: Located<DeleteMode>
    /// What marks a record archived, per side (used when `deletes` is `archive`).
    public var archive: [Side: ArchiveConfig]
    /// Which existing records of each side are onboarded (sides not named: `all`).
    public var onboarding: [Side: OnboardingMode]
    public var merge: [MergeCriterionConfig]
    public var properties: [PropertyConfig]
    /// Fixed values set only when Parley creates a record on a side.
    public var defaults: [Side: [FieldValueConfig]]

    public init(
        name: Located<String>, location: ConfigLocation, left: Located<DatatypeRef>, right: Located<DatatypeRef>,
        direction: Located<FlowDirection>, priority: Located<Side>? = nil, deletes: Located<DeleteMode>,
        archive: [Side: ArchiveConfig] = [:], onboarding: [Side: OnboardingMode] = [:], merge: [MergeCriterionConfig] = [],
        properties: [PropertyConfig], defaults: [Side: [FieldValueConfig]] = [:]
    ) {
        self.name = name
        self.location = location
        self.left = left
        self.right = right
        self.direction = direction
        self.priority = priority
        self.deletes = deletes
        self.archive = archive
        self.onboarding = onboarding
        self.merge = merge
        self.properties = properties
        self.defaults = defaults
    }

    public func datatype(on side: Side) -> Located<DatatypeRef> { side == .left ? left : right }

    /// The flows whose links this flow's references need (itself excluded), in order of first use.
    public var referencedFlows: [Located<String>] {
        var seen: [Located<String>] = []
        for property in properties {
            guard let reference = property.reference, reference.value != name.value,
                !seen.contains(where: { $0.value == reference.value })
            else { continue }
            seen.append(reference)
        }
        return seen
    }
}

/// The `deletes:` policy of a flow.
public enum DeleteMode: String, Sendable, Hashable, CaseIterable {
    case ignore, archive, propagate
}

/// `archive: {<side>: {property: …, value: …, restore: …}}`: the property and value that mean "archived" on one
/// side, and optionally the value that means "not archived" (for a boolean, the opposite by default).
public struct ArchiveConfig: Sendable, Hashable {
    public var location: ConfigLocation
    public var field: FieldValueConfig
    public var restore: Located<JSONValue>?

    public init(location: ConfigLocation, field: FieldValueConfig, restore: Located<JSONValue>? = nil) {
        self.location = location
        self.field = field
        self.restore = restore
    }
}

/// A property path and a fixed value for it (archive markers, create defaults). The value is kept as the
/// YAML scalar read it; the resolver converts it to the property's schema type.
public struct FieldValueConfig: Sendable, Hashable {
    public var property: Located<String>
    public var value: Located<JSONValue>

    public init(property: Located<String>, value: Located<JSONValue>) {
        self.property = property
        self.value = value
    }
}

/// One merge criterion: property pairs that must all match (after normalization).
public struct MergeCriterionConfig: Sendable, Hashable {
    public var location: ConfigLocation
    public var pairs: [MergePairConfig]

    public init(location: ConfigLocation, pairs: [MergePairConfig]) {
        self.location = location
        self.pairs = pairs
    }
}

public struct MergePairConfig: Sendable, Hashable {
    public var location: ConfigLocation
    public var left: Located<String>
    public var right: Located<String>
    public var normalize: [KeyNormalization]

    public init(location: ConfigLocation, left: Located<String>, right: Located<String>, normalize: [KeyNormalization]) {
        self.location = location
        self.left = left
        self.right = right
        self.normalize = normalize
    }

    public func path(on side: Side) -> Located<String> { side == .left ? left : right }
}
