import Testing
@testable import ParleyReference

@Suite struct AuthTests {
    @Test(arguments: [ReferenceSystemKind.erp, .pms])
    func tokenIsRequiredEverywhereButHealthz(kind: ReferenceSystemKind) async throws {
        try await withReference(ReferenceOptions(kind: kind, seed: 2, token: "s3cret")) { _, client in
            var anonymous = client
            anonymous.token = nil
            #expect(try await anonymous.get("/healthz").status == 200)
            for path in ["/schema", "/customers", "/projects", "/webhooks", "/_admin/faults"] {
                let response = try await anonymous.get(path)
                #expect(response.status == 401, "\(path)")
                #expect(response.errorCode == "unauthorized")
                #expect(response.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            }
            #expect(try await anonymous.post("/customers", "{}").status == 401)
            var wrong = client
            wrong.token = "s3cre"
            let wrongToken = try await wrong.get("/customers")
            #expect(wrongToken.status == 401)
            #expect(wrongToken.errorMessage.contains("wrong bearer token"))

            #expect(try await client.get("/customers").status == 200)
            #expect(try await client.get("/schema").status == 200)
        }
    }
}
