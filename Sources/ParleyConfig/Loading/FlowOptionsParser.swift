import ParleyCore

/// Reads the parts of a flow that are keyed by its sides: `priority`, `archive`, `onboarding`, `defaults`,
/// `merge` and `properties`.
struct FlowOptionsParser {
    let sides: SideKeys
    var issues = IssueList()

    mutating func parse(_ reader: ObjectReader, into flow: inout FlowConfig) {
        if let node = reader.node("priority") {
            let location = reader.location(of: "priority")
            flow.priority = sides.side(named: node, at: location, issues: &issues).map { Located($0, at: location) }
        }
        let issuesBefore = issues.issues.count
        if let node = reader.node("archive") { flow.archive = parseArchive(node, at: reader.location(of: "archive")) }
        // Markers that failed to parse were reported already.
        if flow.deletes.value == .archive, flow.archive.isEmpty, issues.issues.count == issuesBefore {
            issues.add(flow.deletes.location, "deletes: archive needs an 'archive:' marker ({property: …, value: …}) for at least one side")
        }
        if let node = reader.node("onboarding") { flow.onboarding = parseOnboarding(node, at: reader.location(of: "onboarding")) }
        if let node = reader.node("defaults") { flow.defaults = parseDefaults(node, at: reader.location(of: "defaults")) }
        if let node = reader.node("merge") {
            var merge = MergeParser(sides: sides)
            flow.merge = merge.parse(node, at: reader.location(of: "merge"))
            issues.append(contentsOf: merge.issues)
        }
        if let node = reader.required("properties", issues: &issues) {
            flow.properties = parseProperties(node, at: reader.location(of: "properties"))
        }
    }

    private mutating func sideValues(_ node: ConfigNode, at location: ConfigLocation) -> [Side: SideKeys.Value] {
        guard let reader = ObjectReader(node, path: location.path, allowed: sides.keys, issues: &issues) else { return [:] }
        return sides.values(in: reader, issues: &issues)
    }

    private mutating func parseArchive(_ node: ConfigNode, at location: ConfigLocation) -> [Side: ArchiveConfig] {
        var archive: [Side: ArchiveConfig] = [:]
        for (side, value) in sideValues(node, at: location).inSideOrder {
            guard let marker = ObjectReader(value.node, path: value.location.path, allowed: ["property", "value", "restore"], issues: &issues)
            else { continue }
            let property = marker.required("property", issues: &issues).flatMap { node in
                Scalars.nonEmptyText(node, at: marker.location(of: "property"), issues: &issues)
            }
            let markerValue = marker.required("value", issues: &issues).flatMap { node in
                Scalars.json(node, at: marker.location(of: "value"), issues: &issues)
            }
            let restore = marker.node("restore").flatMap { node in
                Scalars.json(node, at: marker.location(of: "restore"), issues: &issues).map { Located($0, at: marker.location(of: "restore")) }
            }
            guard let property, let markerValue else { continue }
            let field = FieldValueConfig(
                property: Located(property, at: marker.location(of: "property")),
                value: Located(markerValue, at: marker.location(of: "value"))
            )
            archive[side] = ArchiveConfig(location: value.location, field: field, restore: restore)
        }
        return archive
    }

    private mutating func parseOnboarding(_ node: ConfigNode, at location: ConfigLocation) -> [Side: OnboardingMode] {
        var onboarding: [Side: OnboardingMode] = [:]
        for (side, value) in sideValues(node, at: location).inSideOrder {
            onboarding[side] = Scalars.choice(value.node, among: Choices.onboarding, at: value.location, issues: &issues)
        }
        return onboarding
    }

    private mutating func parseDefaults(_ node: ConfigNode, at location: ConfigLocation) -> [Side: [FieldValueConfig]] {
        var defaults: [Side: [FieldValueConfig]] = [:]
        for (side, value) in sideValues(node, at: location).inSideOrder {
            guard case .mapping(let entries) = value.node.content else {
                issues.expected("a mapping of property names to values", found: value.node, at: value.location)
                continue
            }
            defaults[side] = entries.compactMap { entry in
                let propertyLocation = ConfigLocation(path: ConfigPath.key(entry.key, in: value.location.path), line: entry.keyLine)
                let valueLocation = ConfigLocation(path: propertyLocation.path, line: entry.value.line ?? entry.keyLine)
                guard let json = Scalars.json(entry.value, at: valueLocation, issues: &issues) else { return nil }
                return FieldValueConfig(property: Located(entry.key, at: propertyLocation), value: Located(json, at: valueLocation))
            }
        }
        return defaults
    }

    private mutating func parseProperties(_ node: ConfigNode, at location: ConfigLocation) -> [PropertyConfig] {
        guard case .sequence(let items) = node.content else {
            issues.expected("a list of property mappings", found: node, at: location)
            return []
        }
        guard !items.isEmpty else {
            issues.add(location, "at least one property mapping is required")
            return []
        }
        var parser = PropertyParser(sides: sides)
        let properties = items.enumerated().compactMap { index, item in
            parser.parse(item, path: ConfigPath.index(index, in: location.path))
        }
        issues.append(contentsOf: parser.issues)
        reportDuplicates(properties)
        return properties
    }

    /// A property path mapped twice on one side would make two mappings write the same field.
    private mutating func reportDuplicates(_ properties: [PropertyConfig]) {
        for side in Side.allCases {
            var first: [String: PropertyConfig] = [:]
            for property in properties {
                let path = property.path(on: side)
                if let earlier = first[path.value] {
                    issues.add(path.location, "'\(path.value)' is already mapped by \(earlier.location.path)")
                } else {
                    first[path.value] = property
                }
            }
        }
    }
}
