/// Renders a checklist as one standalone HTML page: inline CSS, no scripts, no external assets, every
/// piece of text escaped, so the file can be mailed or archived as it is.
enum HTMLRenderer {
    static func render(_ document: DataflowDocument) -> String {
        var lines = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(escape(document.title))</title>",
            "<style>\(HTMLStyle.css)</style>",
            "</head>",
            "<body>",
            "<main>",
            "<h1>\(escape(document.title))</h1>",
            "<p class=\"generated\">Generated: \(escape(document.generated))</p>",
        ]
        for section in document.sections {
            lines += ["<section>", "<h2>\(escape(section.title))</h2>"]
            for block in section.blocks {
                switch block {
                case .paragraph(let text): lines.append("<p>\(inline(text))</p>")
                case .table(let table): lines += self.table(table)
                }
            }
            lines.append("</section>")
        }
        lines += ["</main>", "</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func inline(_ text: RichText) -> String {
        text.segments.map { segment in
            switch segment {
            case .text(let raw): escape(raw)
            case .code(let raw): "<code>\(escape(raw))</code>"
            }
        }.joined()
    }

    static func table(_ table: DocumentTable) -> [String] {
        var lines = ["<table>", "<thead>", "<tr>" + table.header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>", "</thead>", "<tbody>"]
        for row in table.rows {
            lines.append("<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>")
        }
        lines += ["</tbody>", "</table>"]
        return lines
    }

    /// Escapes text for element content and attribute values alike.
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }
}

/// The page's only styling, inline so the document has no external assets.
enum HTMLStyle {
    static let css = """
        body{margin:0;background:#f6f7f9;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}\
        main{max-width:60rem;margin:0 auto;padding:2rem 1.5rem 4rem;background:#fff}\
        h1{font-size:1.8rem;margin:0 0 .25rem}\
        h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid #d0d7de}\
        .generated{color:#59636e;margin-top:0}\
        table{border-collapse:collapse;width:100%;margin:.6rem 0 1rem;font-size:.92rem}\
        th,td{border:1px solid #d0d7de;padding:.35rem .55rem;text-align:left;vertical-align:top}\
        th{background:#f0f2f5}\
        tbody tr:nth-child(even){background:#fafbfc}\
        code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff1f3;padding:.05rem .3rem;border-radius:3px}
        """
}
