import Foundation
@testable import ParleyServer
import Testing

@Suite("Contracts/management-api.yaml")
struct DocumentTests {
    static var document: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("Contracts/management-api.yaml"), encoding: .utf8)
        }
    }

    @Test("documents every API route with its method, and the open routes")
    func everyRouteIsDocumented() throws {
        let lines = try Self.document.split(separator: "\n").map(String.init)
        for route in APIRoutes.routes + [("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"), ("POST", "/webhooks/{system}")] {
            let start = try #require(lines.firstIndex(of: "  \(route.path):"), "\(route.path) is not in the document")
            let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("  /") || !$0.hasPrefix(" ") } ?? lines.endIndex
            #expect(lines[start..<end].contains("    \(route.method.lowercased()):"), "\(route.method) \(route.path)")
        }
        let documented = lines.filter { $0.hasPrefix("  /api/") }.count
        #expect(documented == Set(APIRoutes.routes.map(\.path)).count)
    }
}
