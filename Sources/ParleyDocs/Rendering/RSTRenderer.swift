/// Renders a checklist as reStructuredText in the seed's shape: `=` over and under the title, `-` under
/// section titles, `list-table` directives for tables.
enum RSTRenderer {
    static func render(_ document: DataflowDocument) -> String {
        var lines: [String] = []
        let title = RSTEscaping.text(document.title, atLineStart: true)
        let bar = String(repeating: "=", count: TextWidth.columns(title))
        lines += [bar, title, bar, "", "Generated: \(document.generated)", ""]
        for section in document.sections {
            let heading = RSTEscaping.text(section.title, atLineStart: true)
            lines += [heading, String(repeating: "-", count: TextWidth.columns(heading)), ""]
            for block in section.blocks {
                switch block {
                case .paragraph(let text): lines.append(inline(text))
                case .table(let table): lines += listTable(table)
                }
                lines.append("")
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    static func inline(_ text: RichText) -> String {
        var output = ""
        var afterLiteral = false
        func append(text raw: String) {
            let escaped = RSTEscaping.text(raw, atLineStart: output.isEmpty)
            if afterLiteral, let next = escaped.first, !RSTEscaping.afterEnd.contains(next) { output += "\\ " }
            output += escaped
            afterLiteral = false
        }
        for segment in text.segments {
            switch segment {
            case .text(let raw): append(text: raw)
            case .code(let raw):
                guard let literal = RSTEscaping.literal(raw) else {
                    append(text: raw)
                    continue
                }
                if let last = output.last, !RSTEscaping.beforeStart.contains(last) { output += "\\ " }
                output += literal
                afterLiteral = true
            }
        }
        return output
    }

    static func listTable(_ table: DocumentTable) -> [String] {
        var lines = [".. list-table::", "   :header-rows: 1", ""]
        for row in [table.header] + table.rows {
            for (offset, cell) in row.enumerated() {
                let text = RSTEscaping.text(cell, atLineStart: true)
                lines.append((offset == 0 ? "   * - " : "     - ") + text)
            }
        }
        return lines
    }
}
