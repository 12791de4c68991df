/// A datatype in a system: `erp.customer`.
public struct DatatypeRef: Sendable, Hashable, CustomStringConvertible {
    public var system: String
    public var datatype: String
    public init(system: String, datatype: String) {
        self.system = system
        self.datatype = datatype
    }
    public var description: String { "\(system).\(datatype)" }
}

/// Which ways a flow (or one property) carries changes.
public enum FlowDirection: String, Sendable, Hashable, Codable {
    case both
    case leftToRight = "left-to-right"
    case rightToLeft = "right-to-left"

    public func carries(from side: Side) -> Bool {
        switch self {
        case .both: true
        case .leftToRight: side == .left
        case .rightToLeft: side == .right
        }
    }
}

/// What happens on the other side when a linked record is deleted.
public enum DeletePolicy: Sendable, Hashable {
    /// Forget nothing, change nothing on the other side (the link is kept, marked).
    case ignore
    /// Set a flag on the surviving record: for each side, the property and the value meaning "archived".
    case archive(left: ArchiveMarker?, right: ArchiveMarker?)
    /// Delete the counterpart too.
    case propagate
}

public struct ArchiveMarker: Sendable, Hashable {
    public var property: String
    public var value: JSONValue
    /// The value that means "not archived", written back when the deleted record is restored and the property is
    /// not mapped (a mapped one takes the restored record's own value). Nil: unknown, the record stays archived.
    public var restoreValue: JSONValue?
    public init(property: String, value: JSONValue, restoreValue: JSONValue? = nil) {
        self.property = property
        self.value = value
        self.restoreValue = restoreValue
    }
}

/// How a property changed on both sides is resolved.
public struct ConflictPolicy: Sendable, Hashable {
    /// Ties (and records without comparable change markers) go to this side.
    public var prioritySide: Side
    public init(prioritySide: Side) { self.prioritySide = prioritySide }
}

/// Whether a side's existing records are onboarded, or only records created after Parley first saw it.
public enum OnboardingMode: String, Sendable, Hashable, Codable {
    case all
    case newOnly = "new-only"
}

/// Normalizations applied to merge keys before they are compared.
public enum KeyNormalization: String, Sendable, Hashable, Codable, CaseIterable {
    case trim
    case lowercase
    case digitsOnly = "digits-only"
    case collapseSpaces = "collapse-spaces"

    public func apply(_ text: String) -> String {
        switch self {
        case .trim: text.trimmingWhitespace()
        case .lowercase: text.lowercased()
        case .digitsOnly: String(text.unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 }.map(Character.init))
        case .collapseSpaces: text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        }
    }
}

/// One combination of properties that identifies the same real-world record on both sides.
public struct MergeCriterion: Sendable, Hashable {
    public struct Pair: Sendable, Hashable {
        public var left: String
        public var right: String
        public var normalize: [KeyNormalization]
        public init(left: String, right: String, normalize: [KeyNormalization]) {
            self.left = left
            self.right = right
            self.normalize = normalize
        }
    }
    public var pairs: [Pair]
    public init(pairs: [Pair]) { self.pairs = pairs }
}

/// A reference property: which flow links the referenced records.
public struct ReferenceTarget: Sendable, Hashable {
    public var flow: String
    /// Whether each side writes the referenced id as a JSON number (integer ids) rather than a string.
    public var leftNumeric: Bool
    public var rightNumeric: Bool
    public init(flow: String, leftNumeric: Bool, rightNumeric: Bool) {
        self.flow = flow
        self.leftNumeric = leftNumeric
        self.rightNumeric = rightNumeric
    }
}

/// One mapped property. The canonical value is the left side's meaning; `conversion` says how the right
/// side's value relates to it.
public struct PropertyMapping: Sendable, Hashable {
    /// Stable key used in shadows and logs: the left property path.
    public var key: String
    public var left: String
    public var right: String
    public var leftType: PropertyType
    public var rightType: PropertyType
    public var conversion: Conversion
    public var reference: ReferenceTarget?
    /// Per-property owner: wins every conflict on this property.
    public var owner: Side?
    public var direction: FlowDirection
    /// Compare values ignoring letter case (for systems that lower-case what they store, e.g. e-mail).
    public var ignoreCase: Bool
    /// Whether the target system rejects a record without this property (from `/schema`).
    public var requiredOn: Set<Side>
    /// Normalizations under which two text values mean the same (taken from a merge criterion on this very
    /// pair of properties: "912 345 678" and "912345678" are one organization number, not a conflict).
    public var equivalence: [KeyNormalization] = []

    public init(
        left: String, right: String, leftType: PropertyType, rightType: PropertyType, conversion: Conversion = .none,
        reference: ReferenceTarget? = nil, owner: Side? = nil, direction: FlowDirection = .both, ignoreCase: Bool = false,
        requiredOn: Set<Side> = []
    ) {
        self.key = left
        self.left = left
        self.right = right
        self.leftType = leftType
        self.rightType = rightType
        self.conversion = conversion
        self.reference = reference
        self.owner = owner
        self.direction = direction
        self.ignoreCase = ignoreCase
        self.requiredOn = requiredOn
    }

    public func path(on side: Side) -> String { side == .left ? left : right }
    public func type(on side: Side) -> PropertyType { side == .left ? leftType : rightType }
}

/// A flow: two datatypes kept in sync, with everything needed to convert, match, merge and delete.
public struct FlowDefinition: Sendable, Hashable {
    public var name: String
    public var left: DatatypeRef
    public var right: DatatypeRef
    public var properties: [PropertyMapping]
    public var mergeCriteria: [MergeCriterion]
    public var conflict: ConflictPolicy
    public var deletes: DeletePolicy
    public var direction: FlowDirection
    public var onboarding: [Side: OnboardingMode]
    /// Properties set only when a record is created on a side (fixed values), by side.
    public var createDefaults: [Side: [String: JSONValue]]

    public init(
        name: String, left: DatatypeRef, right: DatatypeRef, properties: [PropertyMapping],
        mergeCriteria: [MergeCriterion] = [], conflict: ConflictPolicy = ConflictPolicy(prioritySide: .left),
        deletes: DeletePolicy = .ignore, direction: FlowDirection = .both, onboarding: [Side: OnboardingMode] = [:],
        createDefaults: [Side: [String: JSONValue]] = [:]
    ) {
        self.name = name
        self.left = left
        self.right = right
        self.properties = properties.map { mapping in
            var mapping = mapping
            for criterion in mergeCriteria {
                for pair in criterion.pairs where pair.left == mapping.left && pair.right == mapping.right && !pair.normalize.isEmpty {
                    mapping.equivalence = pair.normalize
                }
            }
            return mapping
        }
        self.mergeCriteria = mergeCriteria
        self.conflict = conflict
        self.deletes = deletes
        self.direction = direction
        self.onboarding = onboarding
        self.createDefaults = createDefaults
    }

    public func datatype(on side: Side) -> DatatypeRef { side == .left ? left : right }

    /// Flows whose links this flow's references need first.
    public var dependencies: [String] {
        var seen: [String] = []
        for property in properties {
            if let flow = property.reference?.flow, flow != name, !seen.contains(flow) { seen.append(flow) }
        }
        return seen
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
