import ParleyConfig
import ParleyCore
import Testing

@testable import ParleyConnectors

@Suite("Templates, pointers and link headers")
struct TemplateTests {
    @Test("computed values: fields with filters, literal braces, missing fields render as nothing")
    func render() throws {
        let template = try ValueTemplate.parse("{name|slug}-{key|digits}{{x}}{missing}").get()
        let fields: JSONValue = ["name": "Bjørnstad & Ærlig: Tunnel Øst", "key": "P-0042"]
        #expect(template.render(fields) == "bjornstad-aerlig-tunnel-ost-0042{x}")
        #expect(try ValueTemplate.parse("{ name | upper | trim }").get().render(["name": " abc "]) == "ABC")
        #expect(ValueTemplate.parse("{name|shout}").failureMessage == "unknown filter 'shout' in '{name|shout}' (expected one of: slug, lower, upper, trim, digits)")
        #expect(ValueTemplate.parse("{}").failureMessage == "empty placeholder '{}' in '{}' (expected a field name such as {name})")
        #expect(ValueTemplate.parse("a}b").failureMessage == "'}' without a matching '{' in 'a}b' (write '}}' for a literal brace)")
    }

    @Test("ids in paths are always percent-escaped")
    func paths() throws {
        let template = try ValueTemplate.parse("/projects/{id}").get()
        #expect(template.renderPath(["id": "../admin?x=1"]) == .success("/projects/%2E%2E%2Fadmin%3Fx%3D1"))
    }

    @Test("JSON pointers and Link headers")
    func pointers() {
        #expect(JSONPointer("/data/items/1")?.value(in: ["data": ["items": [1, 2]]]) == .number("2"))
        #expect(JSONPointer("/a~1b/c~0d")?.tokens == ["a/b", "c~d"])
        #expect(JSONPointer("projects") == nil)
        #expect(LinkHeader.next(#"<https://x/a?page=1>; rel="first", <https://x/a?page=3>; rel="next""#) == "https://x/a?page=3")
        #expect(LinkHeader.next(#"<https://x/a?page=1>; rel="prev""#) == nil)
    }
}

extension Result where Failure == TemplateError {
    var failureMessage: String? { if case .failure(let error) = self { error.message } else { nil } }
}
