import Foundation
@testable import ParleyServer
import Testing

@Suite("Server building blocks")
struct UnitTests {
    @Test("webhook signatures: the contract's format, any change to body or secret fails, malformed headers fail")
    func signatures() {
        let body = Array(#"{"id":1}"#.utf8)
        let header = WebhookSignature.header(body: body, secret: "s3cret")
        // HMAC-SHA256("s3cret", {"id":1}) in lower-case hex (python3: hmac.new(b"s3cret", b'{"id":1}', "sha256").hexdigest()).
        #expect(header == "sha256=63ddab34da5838e383545e9c90b40f74a4e3daabc5dd9a8d49a51875ad4b2418")
        #expect(WebhookSignature.isValid(header: header, body: body, secret: "s3cret"))
        #expect(WebhookSignature.isValid(header: header.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), body: body, secret: "s3cret"))
        #expect(!WebhookSignature.isValid(header: header, body: body + [0x20], secret: "s3cret"))
        #expect(!WebhookSignature.isValid(header: header, body: body, secret: "s3cret2"))
        for bad in [nil, "", "sha256=", "sha1=" + header.dropFirst(7), String(header.dropLast()), header + "00", "sha256=" + String(repeating: "g", count: 64)] {
            #expect(!WebhookSignature.isValid(header: bad, body: body, secret: "s3cret"), "\(bad ?? "nil")")
        }
    }

    @Test("only loopback addresses may go without a token")
    func loopback() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LOCALHOST"] { #expect(Loopback.contains(host), "\(host)") }
        for host in ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "127.0.0.1.example.com", "example.com", "127.0.0.256"] {
            #expect(!Loopback.contains(host), "\(host)")
        }
    }

    @Test("after login, only paths on this server are followed")
    func loginRedirects() {
        #expect(DashboardRoutes.localPath("/links/customers/left/1") == "/links/customers/left/1")
        #expect(DashboardRoutes.localPath("/links?flow=customers&q=1") == "/links?flow=customers&q=1")
        for hostile in [nil, "", "https://evil.example", "//evil.example/", "/\\evil.example", "evil", "/x\r\nSet-Cookie: a=b"] {
            #expect(DashboardRoutes.localPath(hostile) == "/", "\(hostile ?? "nil")")
        }
    }

    @Test("form decoding: plus is a space, escapes are UTF-8, broken escapes stay as they are")
    func forms() {
        #expect(FormDecoding.parse("q=912+345+678&flow=customers") == ["q": "912 345 678", "flow": "customers"])
        #expect(FormDecoding.parse("q=%2B47%20555&x") == ["q": "+47 555", "x": ""])
        #expect(FormDecoding.parse("name=Bj%C3%B8rn") == ["name": "Bjørn"])
        #expect(FormDecoding.parse("a=%zz") == ["a": "%zz"])
        #expect(FormDecoding.encode("a b/ø") == "a%20b%2F%C3%B8")
    }

    @Test("the token is compared in constant time and the session cookie never contains it")
    func authenticator() {
        let authenticator = Authenticator(token: "the-token")
        #expect(authenticator.required)
        #expect(authenticator.matchesToken("the-token"))
        #expect(!authenticator.matchesToken("the-token "))
        #expect(!authenticator.matchesToken(""))
        let cookie = authenticator.sessionCookie(secure: true)
        #expect(!cookie.contains("the-token"))
        #expect(cookie.hasSuffix("; Path=/; HttpOnly; SameSite=Strict; Secure"))
        #expect(Authenticator(token: "other").sessionValue != authenticator.sessionValue)
        #expect(!Authenticator(token: nil).required)
        #expect(!Authenticator(token: "").required)
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2], [1, 2, 3]))
    }

    @Test("HTML escaping covers text and attributes")
    func escaping() {
        #expect(HTML.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }
}
