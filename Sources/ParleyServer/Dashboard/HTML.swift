import Foundation
import ParleyCore

/// Small helpers for server-rendered HTML: escaping, and the shared page frame.
enum HTML {
    /// Escapes text for element content and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A page: header with navigation, the body, and the shared style and script (with the CSP nonce).
    static func page(title: String, nonce: String, authenticated: Bool, navigation: Bool = true, body: String) -> String {
        let chrome =
            navigation
            ? """
            <nav>
              <a href="/#flows">Flows</a><a href="/links">Links</a><a href="/#conflicts">Conflicts</a>
              <a href="/#ambiguous">Ambiguous</a><a href="/#quarantine">Quarantine</a><a href="/#activity">Activity</a>
            </nav>
            <div class="actions">
              <button type="button" data-action="sync">Sync now</button>
              <button type="button" data-action="plan" class="secondary">Dry-run plan</button>
              \(authenticated ? "<form method=\"post\" action=\"/logout\"><button type=\"submit\" class=\"secondary\">Log out</button></form>" : "")
            </div>
            """
            : ""
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Parley</title>
        <style nonce="\(nonce)">\(DashboardAssets.css)</style>
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/">Parley</a>
          \(chrome)
        </header>
        <div id="notice" class="notice" hidden></div>
        <main>
        \(body)
        </main>
        <script nonce="\(nonce)">\(DashboardAssets.script)</script>
        </body>
        </html>
        """
    }

    static func time(_ millis: Int64) -> String {
        "<time datetime=\"\(Timestamps.rfc3339(millis: millis))\">\(escape(Timestamps.rfc3339(millis: millis).replacingOccurrences(of: "T", with: " ")))</time>"
    }

    static func value(_ value: CanonicalValue) -> String {
        value == .null ? "<span class=\"empty\">(empty)</span>" : "<code>\(escape(value.display))</code>"
    }

    /// A JSON request body for a `data-body` attribute.
    static func body(_ json: JSONValue) -> String { escape(json.jsonText) }

    static func linkPath(flow: String, side: Side, id: String) -> String {
        "/links/\(FormDecoding.encode(flow))/\(side.rawValue)/\(FormDecoding.encode(id))"
    }

    static func apiPath(_ parts: String...) -> String {
        "/api/" + parts.map(FormDecoding.encode).joined(separator: "/")
    }
}
