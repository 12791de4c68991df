import ParleyCore

/// Reads one datatype of a REST system (`systems.<name>.datatypes.<datatype>`).
struct RESTDatatypeParser {
    static let keys = [
        "collection", "item", "records", "record", "wrap", "pagination", "changes", "id", "changeMarker", "deleted", "create", "update",
        "filter", "onCreate", "properties",
    ]

    var issues = IssueList()

    /// The datatype's settings (nil when they have problems) and its properties (for checks across datatypes).
    mutating func parse(_ entry: DatatypeEntry) -> (settings: RESTDatatypeSettings?, properties: [ParsedProperty]) {
        guard let reader = ObjectReader(entry.node, path: entry.location.path, allowed: Self.keys, issues: &issues) else { return (nil, []) }
        let collection = reader.required("collection", issues: &issues).flatMap { parsePath($0, at: reader.location(of: "collection"), allowed: []) }
        var item: ValueTemplate?
        if let node = reader.node("item") {
            item = parsePath(node, at: reader.location(of: "item"), allowed: ["id"])
            if let item, !item.fields.contains("id") {
                issues.add(reader.location(of: "item"), "the item path must contain {id}, e.g. /projects/{id}")
            }
        } else if let collection {
            item = ValueTemplate(parts: collection.parts + [.literal("/"), .field("id", filters: [])], source: collection.source + "/{id}")
        }
        let records = pointer("records", in: reader) ?? .root
        let record = pointer("record", in: reader) ?? .root
        var wrap: String?
        if let node = reader.node("wrap") { wrap = Scalars.nonEmptyText(node, at: reader.location(of: "wrap"), issues: &issues) }
        var pagination = RESTPagination.none
        if let node = reader.node("pagination") {
            var parser = RESTPaginationParser()
            pagination = parser.parse(node, at: reader.location(of: "pagination")) ?? .none
            issues.append(contentsOf: parser.issues)
        }
        let (idField, idIsInteger) = parseId(reader)
        let marker = reader.node("changeMarker").flatMap { parseMarker($0, at: reader.location(of: "changeMarker")) }
        let changes = reader.node("changes").flatMap { parseChanges($0, at: reader.location(of: "changes"), marker: marker) } ?? .fullScan
        var deleted: String?
        if let node = reader.node("deleted") { deleted = fieldPath(node, at: reader.location(of: "deleted")) }
        let create = reader.node("create").flatMap { parseCreate($0, at: reader.location(of: "create")) } ?? RESTCreate()
        var update = RESTUpdateMethod.patch
        if let node = reader.node("update") {
            update = Scalars.choice(node, among: RESTUpdateMethod.allCases, at: reader.location(of: "update"), issues: &issues) ?? .patch
        }
        let filters = reader.node("filter").map { parseFilters($0, at: reader.location(of: "filter")) } ?? []
        let onCreate = reader.node("onCreate").map { parseOnCreate($0, at: reader.location(of: "onCreate")) } ?? []
        var propertiesParser = PropertiesParser(extraKeys: [])
        let properties = reader.required("properties", issues: &issues)
            .map { propertiesParser.parse($0, at: reader.location(of: "properties")) } ?? []
        issues.append(contentsOf: propertiesParser.issues)
        for property in properties where property.schema.name == idField {
            issues.add(property.location, "'\(idField)' is the id field; it is not declared as a property")
        }
        guard let collection, let item else { return (nil, properties) }
        let schema = DatatypeSchema(
            name: entry.name, collection: collection.source, idField: idField, idType: idIsInteger ? .integer : .string,
            changeMarker: marker?.field, changeMarkerType: marker.map { $0.format == .rfc3339 ? .datetime : .integer } ?? ChangeMarkerType.none,
            properties: properties.map(\.schema))
        let settings = RESTDatatypeSettings(
            schema: schema, collectionPath: collection, itemPath: item, recordsPointer: records, recordPointer: record, wrap: wrap,
            pagination: pagination, changes: changes, idIsInteger: idIsInteger, changeMarker: marker, deletedField: deleted, create: create,
            updateMethod: update, filters: filters, onCreate: onCreate, location: entry.location)
        return (settings, properties)
    }

    /// A URL path such as `/projects/{id}`; placeholders other than `allowed` are reported.
    private mutating func parsePath(_ node: ConfigNode, at location: ConfigLocation, allowed: [String]?) -> ValueTemplate? {
        guard let text = Scalars.nonEmptyText(node, at: location, issues: &issues) else { return nil }
        guard text.hasPrefix("/") else {
            issues.add(location, "expected a path starting with '/', found '\(text)'")
            return nil
        }
        if text.contains("?") || text.contains("#") {
            issues.add(location, "a path cannot contain '?' or '#' (query parameters come from pagination and changes), found '\(text)'")
            return nil
        }
        switch ValueTemplate.parse(text) {
        case .failure(let error):
            issues.add(location, error.message)
            return nil
        case .success(let template):
            if let allowed {
                for field in template.fields where !allowed.contains(field) {
                    let expected = allowed.isEmpty ? "no placeholders" : "only \(allowed.map { "{\($0)}" }.joined(separator: ", "))"
                    issues.add(location, "unknown placeholder {\(field)} (this path takes \(expected))")
                }
            }
            for case .field(_, let filters) in template.parts where !filters.isEmpty {
                issues.add(location, "filters are not allowed in paths (values are always percent-escaped)")
            }
            return template
        }
    }

    private mutating func pointer(_ key: String, in reader: ObjectReader) -> JSONPointer? {
        guard let node = reader.node(key), let text = Scalars.text(node, at: reader.location(of: key), issues: &issues) else { return nil }
        guard let pointer = JSONPointer(text) else {
            issues.add(reader.location(of: key), "expected a JSON pointer such as /\(key == "records" ? "projects" : "project") (or \"\" for the whole body), found '\(text)'")
            return nil
        }
        return pointer
    }

    private mutating func fieldPath(_ node: ConfigNode, at location: ConfigLocation) -> String? {
        guard let text = Scalars.nonEmptyText(node, at: location, issues: &issues) else { return nil }
        guard ValueTemplate.isFieldPath(text) else {
            issues.add(location, "'\(text)' is not a field path (letters, digits, '_', '-', dotted for nested fields)")
            return nil
        }
        return text
    }

    private mutating func parseId(_ reader: ObjectReader) -> (String, Bool) {
        guard let node = reader.node("id") else { return ("id", false) }
        let location = reader.location(of: "id")
        guard let idReader = ObjectReader(node, path: location.path, allowed: ["field", "type"], issues: &issues) else { return ("id", false) }
        let field = idReader.node("field").flatMap { fieldPath($0, at: idReader.location(of: "field")) } ?? "id"
        let type = idReader.node("type").flatMap { DatatypeEntries.idType($0, at: idReader.location(of: "type"), issues: &issues) }
        return (field, type == .integer)
    }

    private mutating func parseMarker(_ node: ConfigNode, at location: ConfigLocation) -> RESTChangeMarker? {
        guard let reader = ObjectReader(node, path: location.path, allowed: ["field", "format"], issues: &issues),
            let fieldNode = reader.required("field", issues: &issues), let field = fieldPath(fieldNode, at: reader.location(of: "field"))
        else { return nil }
        var format = TimeFormat.rfc3339
        if let node = reader.node("format") {
            format = Scalars.choice(node, among: TimeFormat.allCases, at: reader.location(of: "format"), issues: &issues) ?? .rfc3339
        }
        return RESTChangeMarker(field: field, format: format)
    }

    private mutating func parseChanges(_ node: ConfigNode, at location: ConfigLocation, marker: RESTChangeMarker?) -> RESTChangeDetection? {
        if let text = node.text {
            guard text == "full-scan" else {
                issues.add(location, "expected full-scan or {since: <parameter>, format: …}, found '\(text)'")
                return nil
            }
            return .fullScan
        }
        guard let reader = ObjectReader(node, path: location.path, allowed: ["since", "format", "overlap"], issues: &issues),
            let sinceNode = reader.required("since", issues: &issues),
            let param = Scalars.nonEmptyText(sinceNode, at: reader.location(of: "since"), issues: &issues)
        else { return nil }
        var format = TimeFormat.rfc3339
        if let node = reader.node("format") {
            format = Scalars.choice(node, among: TimeFormat.allCases, at: reader.location(of: "format"), issues: &issues) ?? .rfc3339
        }
        var overlap = 1_000
        if let node = reader.node("overlap"), let millis = Scalars.duration(node, at: reader.location(of: "overlap"), issues: &issues) {
            overlap = millis
        }
        if marker == nil {
            issues.add(location, "changes since a time need a changeMarker (the field telling when a record changed), e.g. changeMarker: {field: updated_at}")
        }
        return .since(param: param, format: format, overlapMillis: overlap)
    }

    private mutating func parseCreate(_ node: ConfigNode, at location: ConfigLocation) -> RESTCreate? {
        guard let reader = ObjectReader(node, path: location.path, allowed: ["method", "path", "idFrom", "idempotencyHeader"], issues: &issues)
        else { return nil }
        var create = RESTCreate()
        if let node = reader.node("method"), let method = Scalars.text(node, at: reader.location(of: "method"), issues: &issues) {
            if ["POST", "PUT"].contains(method) {
                create.method = method
            } else {
                issues.add(reader.location(of: "method"), "expected POST or PUT, found '\(method)'")
            }
        }
        if let node = reader.node("path") { create.path = parsePath(node, at: reader.location(of: "path"), allowed: nil) }
        if let node = reader.node("idFrom") {
            create.idFrom = Scalars.choice(node, among: RESTCreate.IdSource.allCases, at: reader.location(of: "idFrom"), issues: &issues) ?? .body
        }
        if let node = reader.node("idempotencyHeader"),
            let name = Scalars.nonEmptyText(node, at: reader.location(of: "idempotencyHeader"), issues: &issues)
        {
            if HeaderName.isValid(name) {
                create.idempotencyHeader = name
            } else {
                issues.add(reader.location(of: "idempotencyHeader"), "'\(name)' is not a valid HTTP header name")
            }
        }
        return create
    }

    private mutating func parseFilters(_ node: ConfigNode, at location: ConfigLocation) -> [RecordFilter] {
        let items: [(ConfigNode, ConfigLocation)]
        if case .sequence(let list) = node.content {
            items = list.enumerated().map { ($0.element, ConfigLocation(path: ConfigPath.index($0.offset, in: location.path), line: $0.element.line)) }
        } else {
            items = [(node, location)]
        }
        return items.compactMap { parseFilter($0.0, at: $0.1) }
    }

    private mutating func parseFilter(_ node: ConfigNode, at location: ConfigLocation) -> RecordFilter? {
        let conditions = ["empty", "equals", "notEquals", "in"]
        guard let reader = ObjectReader(node, path: location.path, allowed: ["field"] + conditions, issues: &issues),
            let fieldNode = reader.required("field", issues: &issues), let field = fieldPath(fieldNode, at: reader.location(of: "field"))
        else { return nil }
        let given = conditions.filter { reader.keys.contains($0) }
        guard given.count == 1, let key = given.first else {
            issues.add(location, "give exactly one condition (\(conditions.joined(separator: ", "))), found \(given.isEmpty ? "none" : given.joined(separator: ", "))")
            return nil
        }
        let valueLocation = reader.location(of: key)
        guard let valueNode = reader.node(key) else {
            issues.add(valueLocation, "a value is required")
            return nil
        }
        switch key {
        case "empty":
            return Scalars.bool(valueNode, at: valueLocation, issues: &issues).map { RecordFilter(field: field, condition: .empty($0)) }
        case "equals":
            return Scalars.json(valueNode, at: valueLocation, issues: &issues).map { RecordFilter(field: field, condition: .equals($0)) }
        case "notEquals":
            return Scalars.json(valueNode, at: valueLocation, issues: &issues).map { RecordFilter(field: field, condition: .notEquals($0)) }
        default:
            guard case .sequence(let list) = valueNode.content, !list.isEmpty else {
                issues.expected("a non-empty list of values", found: valueNode, at: valueLocation)
                return nil
            }
            let values = list.enumerated().compactMap { index, item in
                Scalars.json(item, at: ConfigLocation(path: ConfigPath.index(index, in: valueLocation.path), line: item.line), issues: &issues)
            }
            return RecordFilter(field: field, condition: .oneOf(values))
        }
    }

    private mutating func parseOnCreate(_ node: ConfigNode, at location: ConfigLocation) -> [CreateValue] {
        guard case .mapping(let entries) = node.content else {
            issues.expected("a mapping from field paths to values", found: node, at: location)
            return []
        }
        return entries.compactMap { entry in
            let valueLocation = ConfigLocation(path: ConfigPath.key(entry.key, in: location.path), line: entry.value.line ?? entry.keyLine)
            guard ValueTemplate.isFieldPath(entry.key) else {
                issues.add(valueLocation, "'\(entry.key)' is not a field path (letters, digits, '_', '-', dotted for nested fields)")
                return nil
            }
            guard let value = Scalars.json(entry.value, at: valueLocation, issues: &issues) else { return nil }
            guard case .string(let text) = value, text.contains("{") || text.contains("}") else {
                return CreateValue(field: entry.key, value: .fixed(value))
            }
            switch ValueTemplate.parse(text) {
            case .success(let template): return CreateValue(field: entry.key, value: .template(template))
            case .failure(let error):
                issues.add(valueLocation, error.message)
                return nil
            }
        }
    }
}
