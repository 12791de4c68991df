/// Renders a checklist as GitHub-flavoured Markdown: ATX headings and pipe tables.
enum MarkdownRenderer {
    static func render(_ document: DataflowDocument) -> String {
        var lines = ["# " + MarkdownEscaping.text(document.title, atLineStart: false), "", "Generated: \(document.generated)", ""]
        for section in document.sections {
            lines += ["## " + MarkdownEscaping.text(section.title, atLineStart: false), ""]
            for block in section.blocks {
                switch block {
                case .paragraph(let text): lines.append(inline(text))
                case .table(let table): lines += self.table(table)
                }
                lines.append("")
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    static func inline(_ text: RichText) -> String {
        var output = ""
        for segment in text.segments {
            switch segment {
            case .text(let raw): output += MarkdownEscaping.text(raw, atLineStart: output.isEmpty)
            case .code(let raw): output += MarkdownEscaping.code(raw, inTable: false)
            }
        }
        return output
    }

    static func table(_ table: DocumentTable) -> [String] {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { MarkdownEscaping.text($0, atLineStart: false) }.joined(separator: " | ") + " |"
        }
        return [row(table.header), "|" + String(repeating: "---|", count: table.header.count)] + table.rows.map(row)
    }
}
