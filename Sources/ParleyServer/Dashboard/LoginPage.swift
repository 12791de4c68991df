/// The one-field login form: the token is checked once and replaced by an HttpOnly session cookie.
enum LoginPage {
    static func render(nonce: String, failed: Bool, next: String = "/") -> String {
        let error = failed ? "<p class=\"pill bad\">That is not the API token.</p>" : ""
        let body = """
            <section class="card login"><h1>Parley</h1><p>Enter the API token (<code>PARLEY_API_TOKEN</code> or \
            <code>server.apiToken</code>) to open the dashboard.</p>\(error)\
            <form method="post" action="/login"><input type="hidden" name="next" value="\(HTML.escape(next))"><p><input type="password" name="token" size="40" autocomplete="current-password" \
            aria-label="API token" autofocus required></p><p><button type="submit">Open the dashboard</button></p></form></section>
            """
        return HTML.page(title: "Log in", nonce: nonce, authenticated: false, navigation: false, body: body)
    }
}
