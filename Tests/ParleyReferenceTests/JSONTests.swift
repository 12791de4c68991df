import Testing
@testable import ParleyReference

@Suite struct JSONTests {
    @Test func keepsNumbersAsExactText() throws {
        let value = try JSONParser.parse(#"{"budget": 1234.565, "big": 12345678901234567890.10, "e": -1.5e-3}"#)
        #expect(value["budget"] == .number(JSONNumber(validatedText: "1234.565")))
        #expect(value["big"]?.numberValue?.text == "12345678901234567890.10")
        #expect(value["e"]?.numberValue?.text == "-1.5e-3")
    }

    @Test func roundTripsStringsWithEscapesAndUnicode() throws {
        let source = #"{"a":"line\nbreak \"quoted\" \\ tab\t","b":"Tromsø 😀 \u00e6","c":"\ud83d\ude00"}"#
        let value = try JSONParser.parse(source)
        #expect(value["a"]?.stringValue == "line\nbreak \"quoted\" \\ tab\t")
        #expect(value["b"]?.stringValue == "Tromsø 😀 æ")
        #expect(value["c"]?.stringValue == "😀")
        #expect(try JSONParser.parse(JSONWriter.string(value)) == value)
        #expect(JSONWriter.string(.string("\u{01}")) == #""\u0001""#)
    }

    @Test func keepsObjectKeyOrderButComparesWithoutIt() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":[true,false,null],"m":{}}"#)
        #expect(JSONWriter.string(value) == #"{"z":1,"a":[true,false,null],"m":{}}"#)
        #expect(try JSONParser.parse(#"{"a":[true,false,null],"m":{},"z":1}"#) == value)
    }

    @Test(arguments: [
        "", "{", "{\"a\":}", "[1,]", "01", "1.", "-", "\"unterminated", "{\"a\" 1}", "tru", "[1] x", "\"\u{01}\"", "\"\\x\"",
        "\"\\ud800\"",
    ])
    func rejectsInvalidJSON(source: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(source) }
    }

    @Test func reportsWhereParsingStopped() {
        do {
            _ = try JSONParser.parse(#"{"name": tru}"#)
            Issue.record("expected a parse error")
        } catch {
            #expect(error.offset == 9)
            #expect(error.description.contains("invalid literal"))
        }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }
}
