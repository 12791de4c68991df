import ParleyCore

/// The dataflow as an inline SVG: one row per flow, the left datatype, the right datatype, and an arrow
/// whose heads show which ways changes travel, labelled with the flow's counts.
enum FlowDiagram {
    static let width = 1000
    static let rowHeight = 96
    static let boxWidth = 230
    static let boxHeight = 52

    static func svg(_ overviews: [FlowOverview], systems: [SystemInfo]) -> String {
        let height = 40 + max(overviews.count, 1) * rowHeight
        var parts: [String] = []
        parts.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Dataflow between the systems\">")
        parts.append(
            """
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">\
            <path d="M0,0 L10,5 L0,10 z" fill="#2f5bd3"/></marker></defs>
            """)
        let leftX = 20
        let rightX = width - 20 - boxWidth
        let leftSystems = Set(overviews.map(\.flow.left.system))
        let leftTitle = overviews.first.map { title(of: $0.flow.left.system, systems) } ?? "left"
        let rightTitle = overviews.first.map { title(of: $0.flow.right.system, systems) } ?? "right"
        parts.append(text(leftX + boxWidth / 2, 22, leftSystems.count > 1 ? "left systems" : leftTitle, weight: 700))
        parts.append(text(rightX + boxWidth / 2, 22, rightTitle, weight: 700))
        for (row, overview) in overviews.enumerated() {
            let flow = overview.flow
            let top = 40 + row * rowHeight
            let middle = top + boxHeight / 2
            parts.append(box(x: leftX, y: top, color: "#2f7d5b", title: title(of: flow.left.system, systems), datatype: flow.left.datatype))
            parts.append(box(x: rightX, y: top, color: "#8a4fd0", title: title(of: flow.right.system, systems), datatype: flow.right.datatype))
            let start = flow.direction.carries(from: .right) ? " marker-start=\"url(#arrow)\"" : ""
            let end = flow.direction.carries(from: .left) ? " marker-end=\"url(#arrow)\"" : ""
            parts.append(
                "<line x1=\"\(leftX + boxWidth + 6)\" y1=\"\(middle)\" x2=\"\(rightX - 6)\" y2=\"\(middle)\" stroke=\"#2f5bd3\" stroke-width=\"2.5\"\(start)\(end)/>"
            )
            let counts = overview.counts
            parts.append(text(width / 2, middle - 10, "\(flow.name): \(counts.linked) linked", weight: 700))
            let details = "open conflicts \(counts.openConflicts) · parked \(counts.parked) · ambiguous \(counts.ambiguous) · quarantined \(counts.quarantined)"
            parts.append(text(width / 2, middle + 16, details, size: 12, color: "#5d6679"))
            if !flow.dependencies.isEmpty {
                parts.append(text(width / 2, middle + 31, "runs after \(flow.dependencies.joined(separator: ", "))", size: 12, color: "#5d6679"))
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func title(of system: String, _ systems: [SystemInfo]) -> String {
        systems.first { $0.name == system }?.title ?? system
    }

    static func box(x: Int, y: Int, color: String, title: String, datatype: String) -> String {
        """
        <rect x="\(x)" y="\(y)" width="\(boxWidth)" height="\(boxHeight)" rx="8" fill="#fff" stroke="\(color)" stroke-width="2"/>\
        \(text(x + boxWidth / 2, y + 21, title, size: 12, color: color))\(text(x + boxWidth / 2, y + 40, datatype, weight: 700))
        """
    }

    static func text(_ x: Int, _ y: Int, _ content: String, size: Int = 14, weight: Int = 400, color: String = "#1d2330") -> String {
        "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"middle\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(color)\" "
            + "font-family=\"system-ui, sans-serif\">\(HTML.escape(content))</text>"
    }
}
