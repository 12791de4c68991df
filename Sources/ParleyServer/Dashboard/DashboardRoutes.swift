import Foundation
import Hummingbird

/// The dashboard's pages and its login: the token is accepted once (form, or `/login?token=…[&next=/path]` as
/// printed by `parley demo`) and kept as an HttpOnly, SameSite=Strict session cookie.
struct DashboardRoutes: Sendable {
    let management: Management
    let authenticator: Authenticator
    let secureCookie: Bool

    func register(open router: Router<BasicRequestContext>, protected pages: RouterGroup<BasicRequestContext>) {
        router.get("login") { request, _ in self.loginForm(request) }
        router.post("login") { request, _ in await self.login(request) }
        router.post("logout") { _, _ in
            Responses.redirect(to: "/login", headers: [.setCookie: Authenticator.clearedCookie()])
        }
        pages.get("/") { _, _ in
            await page { nonce in try await OverviewPage(management: management).render(nonce: nonce, authenticated: authenticator.required) }
        }
        pages.get("links") { request, _ in
            let query = request.query
            return await page { nonce in
                try await LinkPages(management: management).browser(
                    flow: query["flow"], query: query["q"], nonce: nonce, authenticated: authenticator.required)
            }
        }
        pages.get("links/{flow}/{side}/{id}") { _, context in
            await page { nonce in
                try await LinkPages(management: management).detail(
                    flow: try context.parameter("flow"), side: try context.parameter("side"), id: try context.parameter("id"), nonce: nonce,
                    authenticated: authenticator.required)
            }
        }
    }

    private func page(_ render: (String) async throws -> String) async -> Response {
        let nonce = Responses.nonce()
        do {
            return Responses.html(try await render(nonce), nonce: nonce)
        } catch let failure as APIFailure {
            let body = "<section class=\"card\"><h1>\(failure.status.code) \(HTML.escape(failure.status.reasonPhrase))</h1><p>\(HTML.escape(failure.message))</p></section>"
            return Responses.html(HTML.page(title: "Error", nonce: nonce, authenticated: authenticator.required, body: body), nonce: nonce, status: failure.status)
        } catch {
            management.logger.error("dashboard page failed", metadata: ["error": "\(error)"])
            let body = "<section class=\"card\"><h1>Something failed</h1><p>\(HTML.escape("\(error)"))</p></section>"
            return Responses.html(
                HTML.page(title: "Error", nonce: nonce, authenticated: authenticator.required, body: body), nonce: nonce, status: .internalServerError)
        }
    }

    private func loginForm(_ request: Request) -> Response {
        let query = request.query
        let next = Self.localPath(query["next"])
        guard authenticator.required else { return Responses.redirect(to: next) }
        if let token = query["token"] {
            return signIn(token: token, next: next)
        }
        let nonce = Responses.nonce()
        return Responses.html(LoginPage.render(nonce: nonce, failed: false, next: next), nonce: nonce)
    }

    private func login(_ request: Request) async -> Response {
        guard authenticator.required else { return Responses.redirect(to: "/") }
        var request = request
        let buffer = try? await request.collectBody(upTo: 16 * 1024)
        let form = FormDecoding.parse(buffer.map { String(buffer: $0) } ?? "")
        return signIn(token: form["token"] ?? "", next: Self.localPath(form["next"]))
    }

    private func signIn(token: String, next: String) -> Response {
        guard authenticator.matchesToken(token) else {
            let nonce = Responses.nonce()
            return Responses.html(LoginPage.render(nonce: nonce, failed: true, next: next), nonce: nonce, status: .unauthorized)
        }
        return Responses.redirect(to: next, headers: [.setCookie: authenticator.sessionCookie(secure: secureCookie)])
    }

    /// Where to go after logging in: a path on this server only (never `//host` or a full URL).
    static func localPath(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), !path.contains("\r"), !path.contains("\n") else { return "/" }
        return path
    }
}
