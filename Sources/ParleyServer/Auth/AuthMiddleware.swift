import Hummingbird

/// Lets a request through only with the token (or a dashboard session). The API answers 401 with a JSON
/// error; dashboard pages send the browser to the login form.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    enum Mode: Sendable { case api, dashboard }

    let authenticator: Authenticator
    let mode: Mode

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if authenticator.allows(request) { return try await next(request, context) }
        switch mode {
        case .api:
            return Responses.error(
                .unauthorized, code: "unauthorized",
                message: "this route needs the API token: send 'Authorization: Bearer <token>' (PARLEY_API_TOKEN or server.apiToken)",
                headers: [.wwwAuthenticate: "Bearer realm=\"parley\""])
        case .dashboard:
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Responses.redirect(to: target == "/" ? "/login" : "/login?next=" + FormDecoding.encode(target))
        }
    }
}
