import ParleyCore
import Testing

@Suite("Exact JSON")
struct JSONValueTests {
    @Test("numbers keep their exact text; objects serialize with sorted keys")
    func exactNumbers() throws {
        let value = try JSONValue.parse(#"{"b": 12500.50, "a": 12345678901234567890, "c": [true, null, "x"]}"#)
        #expect(value["b"] == .number("12500.50"))
        #expect(value["a"] == .number("12345678901234567890"))
        #expect(value.jsonText == #"{"a":12345678901234567890,"b":12500.50,"c":[true,null,"x"]}"#)
    }

    @Test("escapes and surrogate pairs round-trip")
    func escapes() throws {
        let value = try JSONValue.parse(#""line\nbreak \"quoted\" \u00e6\u00f8\u00e5 \ud83d\ude00 tab\t""#)
        #expect(value == .string("line\nbreak \"quoted\" æøå 😀 tab\t"))
        #expect(try JSONValue.parse(value.jsonText) == value)
    }

    @Test("invalid input is rejected with the offset, never silently replaced", arguments: [
        (#"{"a": 1,}"#, 8), (#"[1, 2"#, 5), ("\"\\ud800\"", 7), (#"{"a": 01}"#, 8), (#"nul"#, 0), (#"{"a": 1} x"#, 9),
    ])
    func rejects(input: String, offset: Int) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(input) }
        do {
            _ = try JSONValue.parse(input)
        } catch {
            #expect(error.offset == offset, "\(input): \(error)")
        }
    }

    @Test("invalid UTF-8 inside a string is rejected")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
    }

    @Test("nesting deeper than the limit is rejected, not a stack overflow")
    func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }

    @Test("dotted paths read and write nested objects without touching other keys")
    func paths() {
        var value: JSONValue = ["address": ["city": "Oslo", "street": "Storgata 1"], "name": "A"]
        #expect(value.value(at: "address.city") == "Oslo")
        #expect(value.value(at: "address.zip") == nil)
        value.setValue("Bergen", at: "address.city")
        value.setValue("5003", at: "address.postalCode")
        #expect(value == ["address": ["city": "Bergen", "street": "Storgata 1", "postalCode": "5003"], "name": "A"])
    }
}

@Suite("Exact decimals")
struct DecimalTextTests {
    @Test("canonical text", arguments: [
        ("12500.50", "12500.5"), ("0012.000", "12"), ("-0.0", "0"), ("1e3", "1000"), ("1.5E-2", "0.015"), ("-.5", "-0.5"), ("7", "7"),
        ("+7", "7"), ("5.", "5"), (".5", "0.5"), ("0", "0"), ("-000", "0"), ("0.000120", "0.00012"), ("120e-1", "12"),
        ("1.25e+2", "125"), ("-1e-3", "-0.001"), ("0e5", "0"), ("10.0e1", "100"),
    ])
    func canonical(input: String, expected: String) {
        #expect(DecimalText(input)?.description == expected)
    }

    @Test("rejects what is not a number", arguments: ["", "abc", "1.2.3", "--1", "1e", "١٢", "-", ".", "+", "1e400", "1e+", " 1", "1 ", "１", "1,5", "0x10", "1e2.5", "e5"])
    func rejects(input: String) {
        #expect(DecimalText(input) == nil)
    }

    @Test("scaling to cents and back is exact; rounding is half away from zero")
    func scaleAndRound() throws {
        let budget = try #require(DecimalText("12345.67"))
        #expect(budget.shifted(by: 2).description == "1234567")
        #expect(try #require(DecimalText("1234567")).shifted(by: -2).description == "12345.67")
        #expect(try #require(DecimalText("10.555")).rounded(toPlaces: 2).description == "10.56")
        #expect(try #require(DecimalText("10.554")).rounded(toPlaces: 2).description == "10.55")
        #expect(try #require(DecimalText("-2.5")).rounded(toPlaces: 0).description == "-3")
        #expect(try #require(DecimalText("999.995")).rounded(toPlaces: 2).description == "1000")
        #expect(try #require(DecimalText("0.1")).shifted(by: 1).integerValue == 1)
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("RFC 3339 with offsets and fractions to epoch milliseconds and back")
    func rfc3339() {
        #expect(Timestamps.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamps.parseRFC3339("2026-11-29T10:00:00.123Z") == 1_795_946_400_123)
        #expect(Timestamps.parseRFC3339("2026-11-29T11:00:00.123+01:00") == 1_795_946_400_123)
        #expect(Timestamps.parseRFC3339("2026-11-29T10:00:00.1234567Z") == 1_795_946_400_123)
        #expect(Timestamps.rfc3339(millis: 1_795_946_400_123) == "2026-11-29T10:00:00.123Z")
        #expect(Timestamps.rfc3339(millis: -1) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamps.parseRFC3339("2026-02-30T10:00:00Z") == nil)
        #expect(Timestamps.parseRFC3339("2026-11-29 10:00") == nil)
    }

    @Test("dates are validated, never shifted by a time zone")
    func dates() {
        #expect(Timestamps.validDate("2024-02-29") == "2024-02-29")
        #expect(Timestamps.validDate("2023-02-29") == nil)
        #expect(Timestamps.validDate("2026-13-01") == nil)
        #expect(Timestamps.validDate("26-1-1") == nil)
    }
}

@Suite("Shadow encoding")
struct ShadowTextTests {
    @Test("the direct shadow writer gives the bytes of shadowJSON.jsonText, and they read back")
    func sameBytes() throws {
        let shadows: [CanonicalRecord] = [
            [:],
            ["name": .text("Acme \"North\" \\ AS\n\t\u{01}æøå 🚀"), "budget": .number(DecimalText("-12345.670")!), "active": .bool(true),
             "off": .bool(false), "start": .date("2026-01-31"), "seen": .datetime(-1_795_946_400_123), "customer": .reference("42"),
             "empty": .null, "": .text(""), "Zeta": .text("upper before lower"), "a.b": .text("dotted")],
        ]
        for shadow in shadows {
            #expect(shadow.shadowText == shadow.shadowJSON.jsonText)
            #expect(CanonicalRecord(shadowJSON: try JSONValue.parse(shadow.shadowText)) == shadow)
            #expect(CanonicalRecord(shadowText: shadow.shadowText) == shadow)
        }
    }

    @Test("shadows read directly; other spellings of the same JSON still read; non-shadows do not")
    func reading() {
        #expect(CanonicalRecord(shadowText: #" { "a" : { "t" : "x" } , "b" : null, "c": {"dt": -5}, "d": {"b": false} } "#)
            == ["a": .text("x"), "b": .null, "c": .datetime(-5), "d": .bool(false)])
        #expect(CanonicalRecord(shadowText: #"{"c":{"dt":"7"}}"#) == ["c": .datetime(7)])
        #expect(CanonicalRecord(shadowText: #"{"a":{"t":"x","n":"1"}}"#) == nil)
        #expect(CanonicalRecord(shadowText: #"{"a":{"q":"x"}}"#) == nil)
        #expect(CanonicalRecord(shadowText: #"{"a":{"n":"twelve"}}"#) == nil)
        #expect(CanonicalRecord(shadowText: #"{"a":{"t":"x"}} x"#) == nil)
        #expect(CanonicalRecord(shadowText: "[]") == nil)
    }

    @Test("audit changes are written directly with the bytes of their JSON")
    func auditText() {
        let writes = [
            PropertyWrite(property: "name", before: .null, after: .text("A \"B\""), reason: .created),
            PropertyWrite(property: "budget", before: .number(DecimalText("1.5")!), after: .bool(true), reason: .filledEmpty),
        ]
        let json = JSONValue.array(writes.map {
            ["property": .string($0.property), "before": $0.before.json, "after": $0.after.json, "reason": .string($0.reason.rawValue)]
        })
        #expect(writes.auditText == json.jsonText)
        #expect([PropertyWrite]().auditText == "[]")
    }
}
