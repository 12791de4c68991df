import Foundation
import NIOHTTP1
import ParleyCore
import ParleyEngine
@testable import ParleyServer
import ParleyTestSupport
import Testing

@Suite("Authentication: the token guards the API, the dashboard and /metrics")
struct AuthTests {
    static func concrete(_ template: String) -> String {
        template.replacingOccurrences(of: "{flow}", with: "customers").replacingOccurrences(of: "{side}", with: "left")
            .replacingOccurrences(of: "{id}", with: "1")
    }

    @Test("every API route answers 401 without the token or with a wrong one, and works with it")
    func everyRouteNeedsTheToken() async throws {
        try await ServerHarness.with(erpSeed: 1) { harness in
            #expect(APIRoutes.routes.count == 18)
            for route in APIRoutes.routes {
                let path = Self.concrete(route.path)
                let method: HTTPMethod = route.method == "GET" ? .GET : .POST
                for auth in [ServerHarness.Auth.none, .bearer("wrong-token"), .cookie("parley_session=forged", dashboardHeader: true)] {
                    let reply = try await harness.request(method, path, auth: auth, body: method == .POST ? Array("{}".utf8) : nil)
                    #expect(reply.status == 401, "\(route.method) \(path) with \(auth)")
                    #expect(reply.headers.first(name: "WWW-Authenticate") == "Bearer realm=\"parley\"")
                    #expect(reply.json?["error"]?["code"] == "unauthorized")
                }
                let authorized = try await harness.request(method, path, body: method == .POST ? Array("{}".utf8) : nil)
                #expect(authorized.status != 401, "\(route.method) \(path) with the token")
            }
            #expect(try await harness.get("/metrics", auth: .none).status == 401)
            #expect(try await harness.get("/metrics").status == 200)
            #expect(try await harness.get("/healthz", auth: .none).status == 200)
            let ready = try await harness.get("/readyz", auth: .none)
            #expect(ready.status == 200)
            #expect(ready.json == ["status": "ready", "checks": ["store": "ok", "erp": "ok", "pms": "ok"]])
        }
    }

    @Test("the dashboard sends strangers to the login form; the token buys an HttpOnly session cookie, not a CSRF pass")
    func dashboardLogin() async throws {
        try await ServerHarness.with(erpSeed: 1) { harness in
            let anonymous = try await harness.get("/", auth: .none)
            #expect(anonymous.status == 303)
            #expect(anonymous.headers.first(name: "Location") == "/login")
            #expect(try await harness.get("/login", auth: .none).status == 200)

            let wrong = try await harness.request(.POST, "/login", auth: .none, body: Array("token=nope".utf8))
            #expect(wrong.status == 401)
            let form = "token=" + FormDecoding.encode(try #require(harness.token))
            let login = try await harness.request(.POST, "/login", auth: .none, body: Array(form.utf8))
            #expect(login.status == 303)
            let setCookie = try #require(login.headers.first(name: "Set-Cookie"))
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains(try #require(harness.token)))
            let cookie = String(setCookie.prefix { $0 != ";" })

            #expect(try await harness.get("/", auth: .cookie(cookie, dashboardHeader: false)).status == 200)
            #expect(try await harness.get("/api/flows?lag=false", auth: .cookie(cookie, dashboardHeader: false)).status == 200)
            // A write by cookie alone (what a cross-site form could send) is refused; the dashboard's own header passes.
            #expect(try await harness.post("/api/sync", auth: .cookie(cookie, dashboardHeader: false)).status == 401)
            #expect(try await harness.post("/api/sync", auth: .cookie(cookie, dashboardHeader: true)).status == 200)
            let link = try await harness.get("/login?token=\(FormDecoding.encode(try #require(harness.token)))", auth: .none)
            #expect(link.status == 303)
            #expect(link.headers.first(name: "Set-Cookie")?.hasPrefix(cookie) == true)
        }
    }

    @Test("without a token the server refuses any address but loopback, with an error that says what to do")
    func noTokenMeansLoopbackOnly() async throws {
        try await ServerHarness.with(erpSeed: 1, token: nil) { harness in
            // Loopback without a token: open.
            #expect(try await harness.get("/api/flows?lag=false", auth: .none).status == 200)
            let context = harness.server.context
            for host in ["0.0.0.0", "192.168.1.10", "::"] {
                #expect(throws: ServerError.self) {
                    try ParleyServer(options: ServerOptions(host: host, port: 0, apiToken: nil), context: context, metrics: harness.metrics, logger: harness.server.logger)
                }
            }
            let error = ServerError.unauthenticatedNonLoopback(host: "0.0.0.0")
            #expect(error.description.contains("PARLEY_API_TOKEN"))
            _ = try ParleyServer(options: ServerOptions(host: "0.0.0.0", port: 0, apiToken: "t"), context: context, metrics: harness.metrics, logger: harness.server.logger)
            _ = try ParleyServer(options: ServerOptions(host: "localhost", port: 0), context: context, metrics: harness.metrics, logger: harness.server.logger)
        }
    }
}

