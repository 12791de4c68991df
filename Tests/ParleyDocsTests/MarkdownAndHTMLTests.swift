import ParleyDocs
import Testing

/// Markdown and HTML: GitHub tables, a standalone page, and escaping of everything taken from configuration.
@Suite struct MarkdownAndHTMLTests {
    @Test func markdownEscapesHostileText() {
        #expect(DocumentFormat.md.render(HostileDocument.document) == ##"""
            # CRM\_ \*x\* \|y\| to \<Shop\> \& Co

            Generated: 2024-10-28 00:00:00

            ## - 1. Order \[a\](b) \#tag

            1\. first \`tick\` a\|b x\_ ends::

            set `archived`to `a|b`.`<script>"q" & 'x'</script>`

            | a\_ Property | \<b\> |
            |---|---|
            | in_progress | \#. item |
            | x\|y | \* star \& \<i\> |

            """##)
    }

    @Test func htmlIsAStandalonePageWithEverythingEscaped() {
        let html = DocumentFormat.html.render(HostileDocument.document)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"))
        #expect(html.hasSuffix("</main>\n</body>\n</html>\n"))
        #expect(html.contains("<title>CRM_ *x* |y| to &lt;Shop&gt; &amp; Co</title>"))
        #expect(html.contains("<h2>- 1. Order [a](b) #tag</h2>"))
        #expect(html.contains("<p>set <code>archived</code>to <code>a|b</code>.<code>&lt;script&gt;&quot;q&quot; &amp; &#39;x&#39;&lt;/script&gt;</code></p>"))
        #expect(html.contains("<thead>\n<tr><th>a_ Property</th><th>&lt;b&gt;</th></tr>\n</thead>"))
        #expect(html.contains("<tr><td>x|y</td><td>* star &amp; &lt;i&gt;</td></tr>"))
        #expect(occurrences(of: "<script", in: html) == 0)
        // No external assets: no links, scripts, images or remote URLs; the only style is inline.
        for external in ["<link", "src=", "http://", "https://", "url(", "@import"] {
            #expect(!html.contains(external), "found \(external)")
        }
        #expect(occurrences(of: "<style>", in: html) == 1)
    }
}
