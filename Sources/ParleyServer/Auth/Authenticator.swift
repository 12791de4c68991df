import Crypto
import Foundation
import Hummingbird

/// Checks the bearer token (API, `/metrics`) and the dashboard's session cookie. The cookie never holds the
/// token itself: it holds an HMAC of a fixed label keyed with the token, so it is cookie-safe and changing
/// the token ends every session. All comparisons take constant time.
struct Authenticator: Sendable {
    static let cookieName = "parley_session"
    /// Header the dashboard's own scripts send with every write; a cross-site form cannot set it.
    static let dashboardHeader = "X-Parley-Dashboard"

    private let tokenDigest: [UInt8]?
    private let session: String?

    init(token: String?) {
        guard let token, !token.isEmpty else {
            tokenDigest = nil
            session = nil
            return
        }
        tokenDigest = Array(SHA256.hash(data: Data(token.utf8)))
        let code = HMAC<SHA256>.authenticationCode(for: Data("parley-dashboard-session-v1".utf8), using: SymmetricKey(data: Data(token.utf8)))
        session = code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether a token is configured at all (without one, everything is open: loopback only).
    var required: Bool { tokenDigest != nil }

    /// The session cookie value for a dashboard login.
    var sessionValue: String? { session }

    func matchesToken(_ candidate: String) -> Bool {
        guard let tokenDigest else { return true }
        return ConstantTime.equal(Array(SHA256.hash(data: Data(candidate.utf8))), tokenDigest)
    }

    func hasBearer(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else { return false }
        return matchesToken(String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
    }

    func hasSession(_ request: Request) -> Bool {
        guard let session, let cookie = request.cookies[Self.cookieName]?.value else { return false }
        return ConstantTime.equal(Array(cookie.utf8), Array(session.utf8))
    }

    /// Bearer token, or the session cookie; a write by cookie must also carry the dashboard header (CSRF).
    func allows(_ request: Request) -> Bool {
        guard required else { return true }
        if hasBearer(request) { return true }
        guard hasSession(request) else { return false }
        let safe = request.method == .get || request.method == .head
        return safe || request.headers.value(named: Self.dashboardHeader) == "1"
    }

    func sessionCookie(secure: Bool) -> String {
        "\(Self.cookieName)=\(session ?? ""); Path=/; HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    static func clearedCookie() -> String { "\(cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" }
}

/// Comparison of secrets (token digests, session values, webhook HMACs) whose running time does not depend
/// on where the inputs differ: every byte pair is XORed and the differences ORed together, with no branch on
/// the data until the end. Lengths are not secret (HMACs and digests have fixed lengths).
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        equal(a, b) { _, _ in }
    }

    /// `observe` sees each index compared and its byte difference (`a[i] ^ b[i]`), in order; tests use it to
    /// check that the comparison never stops early. Production callers pass nothing.
    static func equal(_ a: [UInt8], _ b: [UInt8], observe: (_ index: Int, _ difference: UInt8) -> Void) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices {
            let byte = a[index] ^ b[index]
            observe(index, byte)
            difference |= byte
        }
        return difference == 0
    }
}
