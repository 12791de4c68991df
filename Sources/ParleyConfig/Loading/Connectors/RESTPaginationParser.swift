/// Reads `pagination:` of a REST datatype:
///
/// ```yaml
/// pagination: {style: offset, size: 50, total: /total}       # ?offset=0&limit=50
/// pagination: {style: page, size: 50}                         # ?page=1&per_page=50
/// pagination: {style: cursor, next: /meta/next}               # ?cursor=…
/// pagination: {style: link}                                   # Link: <…>; rel="next"
/// pagination: none
/// ```
struct RESTPaginationParser {
    enum Style: String, CaseIterable {
        case none, page, offset, cursor, link
    }

    static let keys: [Style: [String]] = [
        .none: [],
        .page: ["param", "sizeParam", "size", "first"],
        .offset: ["param", "limitParam", "size", "total"],
        .cursor: ["param", "sizeParam", "size", "next"],
        .link: ["sizeParam", "size"],
    ]

    var issues = IssueList()

    mutating func parse(_ node: ConfigNode, at location: ConfigLocation) -> RESTPagination? {
        if let text = node.text {
            guard text == "none" else {
                issues.add(location, "expected none or a mapping with a style (\(Style.allCases.map(\.rawValue).joined(separator: ", "))), found '\(text)'")
                return nil
            }
            return RESTPagination.none
        }
        guard case .mapping(let entries) = node.content else {
            issues.expected("a mapping such as {style: offset, size: 50}", found: node, at: location)
            return nil
        }
        let styleNode = entries.first { $0.key == "style" }?.value
        let styleLocation = ConfigLocation(path: ConfigPath.key("style", in: location.path), line: styleNode?.line ?? node.line)
        let style = styleNode.flatMap { Scalars.choice($0, among: Style.allCases, at: styleLocation, issues: &issues) }
        let allowed = ["style"] + (style.flatMap { Self.keys[$0] } ?? Array(Set(Self.keys.values.flatMap { $0 })).sorted())
        guard let reader = ObjectReader(node, path: location.path, allowed: allowed, issues: &issues) else { return nil }
        if styleNode == nil { issues.add(location, "missing required key 'style' (\(Style.allCases.map(\.rawValue).joined(separator: ", ")))") }
        guard let style else { return nil }
        let size = integer("size", in: reader, range: 1...10_000) ?? 100
        switch style {
        case .none:
            return RESTPagination.none
        case .page:
            return .page(
                param: text("param", in: reader) ?? "page", sizeParam: text("sizeParam", in: reader) ?? "per_page", size: size,
                first: integer("first", in: reader, range: 0...1) ?? 1)
        case .offset:
            return .offset(
                param: text("param", in: reader) ?? "offset", limitParam: text("limitParam", in: reader) ?? "limit", size: size,
                total: pointer("total", in: reader))
        case .cursor:
            guard let next = pointer("next", in: reader) else {
                if !reader.keys.contains("next") { issues.add(location, "missing required key 'next' (a JSON pointer to the next cursor, e.g. /meta/next)") }
                return nil
            }
            return .cursor(param: text("param", in: reader) ?? "cursor", sizeParam: text("sizeParam", in: reader), size: size, next: next)
        case .link:
            return .link(sizeParam: text("sizeParam", in: reader), size: size)
        }
    }

    private mutating func text(_ key: String, in reader: ObjectReader) -> String? {
        reader.node(key).flatMap { Scalars.nonEmptyText($0, at: reader.location(of: key), issues: &issues) }
    }

    private mutating func integer(_ key: String, in reader: ObjectReader, range: ClosedRange<Int>) -> Int? {
        reader.node(key).flatMap { Scalars.integer($0, at: reader.location(of: key), in: range, issues: &issues) }
    }

    private mutating func pointer(_ key: String, in reader: ObjectReader) -> JSONPointer? {
        guard let node = reader.node(key), let text = Scalars.text(node, at: reader.location(of: key), issues: &issues) else { return nil }
        guard let pointer = JSONPointer(text), !pointer.tokens.isEmpty else {
            issues.add(reader.location(of: key), "expected a JSON pointer such as /\(key == "next" ? "meta/next" : "total"), found '\(text)'")
            return nil
        }
        return pointer
    }
}
